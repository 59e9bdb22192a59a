package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import dev.pgoutput.api.ReplicationSlots;
import dev.pgoutput.api.SlotInfo;
import dev.pgoutput.api.SlotOptions;
import dev.pgoutput.testkit.PostgresExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin helper: create (two-phase, failover, temporary), list with state and retained WAL, drop. */
class ReplicationSlotsIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.twoPhase();

    private static Optional<SlotInfo> listed(ReplicationSlots slots, String name) {
        return slots.list().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {12, 13, 14, 15, 16, 17, 18})
    void createListAndDrop(int major) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(major), "slots");
        try (ReplicationSlots slots = ReplicationSlots.connect(db.reader())) {
            SlotInfo created = slots.create(db.slot, SlotOptions.defaults());
            assertEquals(db.slot, created.name());
            assertEquals("pgoutput", created.plugin());
            assertEquals(db.database, created.database());
            assertFalse(created.active());
            assertFalse(created.temporary());
            assertFalse(created.twoPhase());
            assertTrue(created.confirmedFlushLsn() > 0, "a new slot starts at its consistent point");
            assertEquals(created.name(), listed(slots, db.slot).orElseThrow().name());
            ReplicationSetupException again = assertThrows(ReplicationSetupException.class,
                    () -> slots.create(db.slot, SlotOptions.defaults()));
            assertEquals(Problem.SLOT_CREATION, again.problem());
            assertTrue(again.getMessage().contains("already exists"), again.getMessage());
            slots.drop(db.slot);
            assertTrue(listed(slots, db.slot).isEmpty());
            ReplicationSetupException gone = assertThrows(ReplicationSetupException.class, () -> slots.drop(db.slot));
            assertEquals(Problem.SLOT_MISSING, gone.problem());
        } finally {
            db.dropSlot();
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, 15, 17})
    void twoPhaseFromPostgres15AndFailoverFrom17(int major) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(major), "slotopts");
        try (ReplicationSlots slots = ReplicationSlots.connect(db.reader())) {
            if (major < 15) {
                assertEquals(Problem.SERVER_VERSION, assertThrows(ReplicationSetupException.class,
                        () -> slots.create(db.slot, SlotOptions.defaults().withTwoPhase(true))).problem());
            } else {
                assertTrue(slots.create(db.slot, SlotOptions.defaults().withTwoPhase(true)).twoPhase());
                slots.drop(db.slot);
            }
            if (major < 17) {
                ReplicationSetupException e = assertThrows(ReplicationSetupException.class,
                        () -> slots.create(db.slot, SlotOptions.defaults().withFailover(true)));
                assertTrue(e.getMessage().contains("PostgreSQL 17"), e.getMessage());
            } else {
                SlotInfo failover = slots.create(db.slot, SlotOptions.defaults().withFailover(true));
                assertTrue(failover.failover());
                assertTrue(failover.failoverReady());
            }
            assertEquals(major >= 17, listed(slots, db.slot).isPresent(), "a refused option leaves no slot");
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void aTemporarySlotEndsWithItsConnection() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "slottemp");
        try (ReplicationSlots slots = ReplicationSlots.connect(db.reader())) {
            assertTrue(slots.create(db.slot, SlotOptions.defaults().withTemporary(true)).temporary());
        }
        assertTrue(ReplicationSlots.list(db.reader().connectionSettings()).stream()
                .noneMatch(s -> s.name().equals(db.slot)), "gone once the connection closed");
        assertThrows(ConfigurationException.class, () -> ReplicationSlots.create(
                db.reader().connectionSettings(), db.slot, SlotOptions.defaults().withTemporary(true)));
    }

    @Test
    void aStreamingSlotIsListedActiveWithTheWalItRetains() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "slotactive");
        db.execute("CREATE TABLE t (id int PRIMARY KEY, pad text)", "CREATE PUBLICATION " + db.publication
                + " FOR ALL TABLES");
        ReplicationSlots.create(db.reader().connectionSettings(), db.slot, SlotOptions.defaults());
        try (LogicalReplicationReader reader = db.reader().autoAcknowledge(false).build()) {
            db.execute("INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 2000) g");
            Database.take(reader, 2000);
            SlotInfo info = ReplicationSlots.list(db.reader().connectionSettings()).stream()
                    .filter(s -> s.name().equals(db.slot)).findFirst().orElseThrow();
            assertTrue(info.active());
            assertTrue(info.activePid() > 0);
            assertTrue(info.retainedWalBytes() > 100_000, "nothing acknowledged: the WAL is kept, "
                    + info.retainedWalBytes() + " bytes");
        } finally {
            db.dropSlot();
        }
    }
}
