package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.SnapshotMode;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.transport.pgjdbc.faults.IncrementalReaderMain;
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
 * A reader process killed with SIGKILL in the middle of its initial snapshot: the next start finishes the
 * tables the copy did not get through, with an incremental snapshot against the stream, instead of
 * streaming after half a snapshot or copying everything again: no row is lost, and the tables whose every
 * row was acknowledged are not read again.
 */
class SnapshotKillIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @TempDir
    Path dir;

    @Test
    void aSnapshotKilledMidwayIsFinishedIncrementallyWithoutCopyingTheDoneTablesAgain(PostgresServer server)
            throws Exception {
        Database db = Database.inOwnDatabase(server, "snapkill");
        List<String> setup = new java.util.ArrayList<>();
        for (int t = 1; t <= 5; t++) {
            setup.add("CREATE TABLE t" + t + " (id int PRIMARY KEY)");
            setup.add("INSERT INTO t" + t + " SELECT g FROM generate_series(1, 10000) g");
        }
        setup.add("CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        db.execute(setup.toArray(String[]::new));
        Path state = dir.resolve("kill.snapshot");
        Set<String> taken = new HashSet<>();
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), SnapshotReaderMain.class, server.host(),
                Integer.toString(server.port()), db.database, server.user(), server.password(), db.slot,
                db.publication, state.toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (child.lines().stream().filter(l -> l.startsWith("R ")).count() < 25_000) {
                assertTrue(child.isAlive() && System.nanoTime() < deadline, "the child did not copy: " + child.tail(20));
                Thread.sleep(20);
            }
            child.kill();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            child.lines().stream().filter(l -> l.startsWith("R ")).forEach(l -> taken.add(l.substring(2)));
            assertTrue(taken.size() < 50_000, "killed in the middle: " + taken.size() + " rows taken");
        }
        assertTrue(Files.exists(state), "the interrupted copy is on record");
        String recorded = Files.readString(state);
        assertTrue(recorded.contains("copied.0="), "some tables were wholly acknowledged: " + recorded);
        awaitSlotReleased(db);
        Set<String> all = new HashSet<>(taken);
        int again = 0;
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotState(state).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (all.size() < 50_000) {
                assertTrue(System.nanoTime() < deadline, "rows missing after the restart: " + (50_000 - all.size()));
                ChangeEvent e = reader.poll(java.time.Duration.ofMillis(500));
                if (e != null) {
                    assertEquals("incremental", e.source().snapshot());
                    again++;
                    all.add(e.source().table() + " " + e.after().get("id"));
                }
            }
            reader.acknowledge();
        }
        assertEquals(50_000, all.size(), "no row lost");
        assertTrue(again <= 40_000, "the tables done before the kill were not copied again: " + again + " rows read");
        db.dropSlot();
    }

    @Test
    void anIncrementalSnapshotKilledMidwayGoesOnFromItsLastAcknowledgedChunk(PostgresServer server) throws Exception {
        Database db = Database.inOwnDatabase(server, "incrkill");
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 40000) g",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        Path state = dir.resolve("incremental.snapshot");
        Set<String> taken = new HashSet<>();
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), IncrementalReaderMain.class, server.host(),
                Integer.toString(server.port()), db.database, server.user(), server.password(), db.slot,
                db.publication, state.toString(), "public.t")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (child.lines().stream().filter(l -> l.startsWith("R ")).count() < 8_000) {
                assertTrue(child.isAlive() && System.nanoTime() < deadline, "the child did not read: " + child.tail(20));
                Thread.sleep(20);
            }
            child.kill();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            child.lines().stream().filter(l -> l.startsWith("R ")).forEach(l -> taken.add(l.substring(2)));
            assertTrue(taken.size() < 40_000, "killed in the middle: " + taken.size() + " rows taken");
        }
        String recorded = Files.readString(state);
        assertTrue(recorded.contains("incremental.0=public.t") && recorded.contains("incremental.0.after.0="),
                "the last acknowledged chunk is on record: " + recorded);
        awaitSlotReleased(db);
        Set<String> all = new HashSet<>(taken);
        int again = 0;
        try (LogicalReplicationReader reader = db.reader().snapshotState(state).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (all.size() < 40_000) {
                assertTrue(System.nanoTime() < deadline, "rows missing after the restart: " + (40_000 - all.size()));
                ChangeEvent e = reader.poll(java.time.Duration.ofMillis(500));
                if (e != null && e.op() == dev.pgoutput.api.Op.READ) {
                    again++;
                    all.add(String.valueOf(e.after().get("id")));
                }
            }
            reader.acknowledge();
        }
        assertEquals(40_000, all.size(), "no row lost");
        assertTrue(again < 40_000 - 4_000, "went on from the last acknowledged chunk: " + again + " rows read again");
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
