package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.transport.pgjdbc.large.SnapshotCountReaderMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An initial snapshot far larger than the reader's heap: a 10,000,000-row table copied by
 * {@link dev.pgoutput.api.SnapshotMode#INITIAL_ONLY} through a reader whose JVM has 128 MiB
 * ({@code -Xmx128m}, and {@code -XX:+ExitOnOutOfMemoryError} so that running out ends the child with its
 * own exit code instead of leaving a thread dead in it). The copy must flow through the bounded delivery
 * queue: the child ends normally, having seen every id from 1 to N once as a READ event with its value
 * (both sums are checked), nothing else, and the slot made for the snapshot and the snapshot's record are
 * gone afterwards. Loading, copying and the peak heap are printed for the record.
 *
 * <p>{@code -Dsnapshot.memory.rows=…} changes the size (default 10,000,000) for a quicker look.
 */
class SnapshotMemoryIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    private static final int ROWS = Integer.getInteger("snapshot.memory.rows", 10_000_000);
    /** The machine's two cores; more connections would only take turns. */
    private static final int PARALLELISM = 2;
    private static final Pattern RESULT = Pattern.compile("RESULT reads=(\\d+) distinct=(\\d+) others=(\\d+) "
            + "outOfRange=(\\d+) sumIds=(-?\\d+) sumV=(-?\\d+) peakHeapMiB=([\\d.]+) maxHeapMiB=([\\d.]+) .*");

    @TempDir
    Path dir;

    @Test
    void tenMillionRowsAreCopiedThroughA128MiBHeap() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "snapmem");
        try {
            long loadStarted = System.nanoTime();
            // The key after the rows: one index build instead of ten million insertions into it.
            db.execute("CREATE TABLE t (id bigint NOT NULL, v int NOT NULL)",
                    "INSERT INTO t SELECT g, g % 1000 FROM generate_series(1, " + ROWS + ") g",
                    "ALTER TABLE t ADD PRIMARY KEY (id)",
                    "ANALYZE t",
                    "CREATE PUBLICATION " + db.publication + " FOR TABLE t");
            System.out.printf("[SnapshotMemoryIT] %,d rows loaded in %.1f s%n", ROWS, (System.nanoTime() - loadStarted) / 1e9);

            Path state = dir.resolve("memory.snapshot");
            long copyStarted = System.nanoTime();
            List<String> lines;
            int exit;
            try (ChildJvm child = ChildJvm.start(List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"),
                    SnapshotCountReaderMain.class, db.server.host(), Integer.toString(db.server.port()), db.database,
                    db.server.user(), db.server.password(), db.slot, db.publication, state.toString(),
                    Integer.toString(PARALLELISM), Integer.toString(ROWS))) {
                // Not a bound on speed: only how long a hung child may keep the build waiting.
                assertTrue(child.waitFor(20, TimeUnit.MINUTES), "the reader did not finish: " + child.tail(20));
                exit = child.exitValue();
                child.close();   // its last output
                lines = child.lines();
            }
            System.out.printf("[SnapshotMemoryIT] child ran %.1f s%n", (System.nanoTime() - copyStarted) / 1e9);
            String output = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            assertFalse(lines.stream().anyMatch(l -> l.contains("OutOfMemoryError")), "out of memory:\n" + output);
            assertEquals(0, exit, "the reader's exit code:\n" + output);
            String result = lines.stream().filter(l -> l.startsWith("RESULT")).findFirst().orElse(null);
            assertNotNull(result, "no result from the reader:\n" + output);
            System.out.println("[SnapshotMemoryIT] " + result);
            Matcher m = RESULT.matcher(result);
            assertTrue(m.matches(), result);
            assertEquals(ROWS, Long.parseLong(m.group(1)), "READ events");
            assertEquals(ROWS, Long.parseLong(m.group(2)), "distinct ids among them");
            assertEquals(0, Long.parseLong(m.group(3)), "events that were not READs");
            assertEquals(0, Long.parseLong(m.group(4)), "ids outside 1.." + ROWS);
            assertEquals((long) ROWS * (ROWS + 1) / 2, Long.parseLong(m.group(5)), "the sum of the ids");
            assertEquals(sumOfV(ROWS), Long.parseLong(m.group(6)), "the sum of v");
            assertTrue(Double.parseDouble(m.group(8)) <= 128.0, "the heap really was limited: " + result);
            assertFalse(slotExists(db), "the slot made for the snapshot is gone");
            assertFalse(Files.exists(state), "the snapshot's record is gone");
        } finally {
            db.dropSlot();
            db.server.dropDatabase(db.database);
        }
    }

    /** The sum of {@code g % 1000} for g from 1 to n, as the table was filled. */
    private static long sumOfV(int n) {
        long sum = 0;
        for (int g = 1; g <= n; g++) {
            sum += g % 1000;
        }
        return sum;
    }

    private static boolean slotExists(Database db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + db.slot + "'")) {
            return rs.next();
        }
    }
}
