package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import dev.pgoutput.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code createSlot(true)}: a slot missing at start is created with the replication protocol's command and
 * streamed from; creation held up by an open transaction gives up after its timeout, names the session,
 * and leaves no slot; a start that fails after creating the slot removes it again.
 */
class SlotCreationIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.twoPhase();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {12, 13, 14, 15, 16, 17, 18})
    void aMissingSlotIsCreatedAndStreamedFrom(int major) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(major), "create");
        try {
            db.execute("CREATE TABLE t (id int PRIMARY KEY)", "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES",
                    "INSERT INTO t VALUES (1)");   // before the slot: not streamed
            try (LogicalReplicationReader reader = db.reader().createSlot(true).build()) {
                assertEquals("pgoutput", slotColumn(db, "plugin"));
                db.execute("INSERT INTO t VALUES (2)");
                List<ChangeEvent> events = Database.take(reader, 1);
                assertEquals(2, events.get(0).after().get("id"), "only what was committed after the slot");
                reader.acknowledge();
            }
            try (LogicalReplicationReader reader = db.reader().createSlot(true).build()) {
                db.execute("INSERT INTO t VALUES (3)");
                assertEquals(3, Database.take(reader, 1).get(0).after().get("id"), "an existing slot is used as it is");
            }
        } finally {
            db.dropSlot();
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 18})
    void aTwoPhaseReaderCreatesATwoPhaseSlot(int major) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(major), "create2pc");
        try {
            db.execute("CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
            try (LogicalReplicationReader reader = db.reader().createSlot(true).twoPhase(true).build()) {
                assertEquals("t", slotColumn(db, "two_phase"));
            }
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void creationHeldUpByAnOpenTransactionTimesOutNamesItAndLeavesNoSlot() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "blocked");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)", "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        try (Connection open = db.connect(); Statement s = open.createStatement()) {
            open.setAutoCommit(false);
            s.execute("INSERT INTO t VALUES (1)");   // holds an xid until it ends
            int pid = pid(open);
            long started = System.nanoTime();
            ReplicationSetupException e = assertThrows(ReplicationSetupException.class, () -> db.reader()
                    .createSlot(true).slotCreationTimeout(Duration.ofSeconds(2)).build().close());
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertEquals(Problem.SLOT_CREATION, e.problem());
            assertTrue(e.getMessage().contains("pid " + pid), e.getMessage());
            assertTrue(e.getMessage().contains("no slot was left behind"), e.getMessage());
            assertTrue(waited >= 1_500 && waited < 20_000, "gave up after its timeout: " + waited + " ms");
            assertFalse(slotExists(db), "a cancelled creation leaves no slot");
            open.rollback();
        }
        // Once the transaction is gone, the same start succeeds.
        try (LogicalReplicationReader reader = db.reader().createSlot(true).build()) {
            assertTrue(slotExists(db));
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void aStartThatFailsAfterCreatingTheSlotRemovesIt() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "nopub");
        // No publication: the slot would be created, then the check of the publications fails.
        ReplicationSetupException e = assertThrows(ReplicationSetupException.class,
                () -> db.reader().createSlot(true).build().close());
        assertEquals(Problem.PUBLICATION_MISSING, e.problem());
        assertFalse(slotExists(db), "the slot made for the failed start is gone");
    }

    @Test
    void withoutTheOptionAMissingSlotIsStillAnError() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "nocreate");
        db.execute("CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        ReplicationSetupException e = assertThrows(ReplicationSetupException.class, () -> db.reader().build().close());
        assertEquals(Problem.SLOT_MISSING, e.problem());
        assertFalse(slotExists(db));
    }

    @Test
    void aTwoPhaseSlotIsRefusedBeforeAnythingIsCreatedOnAnOldServer() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(13), "old2pc");
        db.execute("CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        ReplicationSetupException e = assertThrows(ReplicationSetupException.class,
                () -> db.reader().createSlot(true).twoPhase(true).build().close());
        assertEquals(Problem.SERVER_VERSION, e.problem());
        assertFalse(slotExists(db));
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean slotExists(Database db) throws SQLException {
        return slotColumn(db, "slot_name") != null;
    }

    private static String slotColumn(Database db, String column) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM pg_replication_slots WHERE slot_name = '"
                     + db.slot + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
