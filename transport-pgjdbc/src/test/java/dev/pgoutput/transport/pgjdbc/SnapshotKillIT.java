package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.SnapshotMode;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.transport.pgjdbc.faults.SnapshotReaderMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader process killed with SIGKILL in the middle of its initial snapshot: the next start refuses
 * with the way to start over, instead of streaming after half a snapshot; started over, every row comes.
 */
class SnapshotKillIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @TempDir
    Path dir;

    @Test
    void aSnapshotKilledMidwayIsRefusedThenStartedOverWhole(PostgresServer server) throws Exception {
        Database db = Database.inOwnDatabase(server, "snapkill");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT g FROM generate_series(1, 50000) g",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        Path state = dir.resolve("kill.snapshot");
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), SnapshotReaderMain.class, server.host(),
                Integer.toString(server.port()), db.database, server.user(), server.password(), db.slot,
                db.publication, state.toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (child.lines().stream().filter(l -> l.startsWith("R ")).count() < 2_000) {
                assertTrue(child.isAlive() && System.nanoTime() < deadline, "the child did not copy: " + child.tail(20));
                Thread.sleep(20);
            }
            child.kill();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            long taken = child.lines().stream().filter(l -> l.startsWith("R ")).count();
            assertTrue(taken < 50_000, "killed in the middle: " + taken + " rows taken");
        }
        assertTrue(Files.exists(state), "the interrupted copy is on record");
        awaitSlotReleased(db);
        ReplicationSetupException refused = assertThrows(ReplicationSetupException.class,
                () -> db.reader().snapshot(SnapshotMode.INITIAL).snapshotState(state).build().close());
        assertTrue(refused.getMessage().contains("was interrupted"), refused.getMessage());
        db.dropSlot();
        Files.delete(state);
        Set<Object> ids = new HashSet<>();
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotState(state).build()) {
            for (ChangeEvent e : Database.take(reader, 50_000)) {
                ids.add(e.after().get("id"));
            }
            reader.acknowledge();
        }
        assertEquals(50_000, ids.size(), "started over: every row, once");
        db.dropSlot();
    }

    /** The killed child's walsender lets the slot go a moment after its connection drops. */
    private static void awaitSlotReleased(Database db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '"
                         + db.slot + "'")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "the killed reader's slot stayed active");
            Thread.sleep(100);
        }
    }
}
