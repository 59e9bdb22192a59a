package dev.pgoutput.transport.pgjdbc.large;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.transport.pgjdbc.ChildJvm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * One large transaction through a reader whose JVM has a 128 MiB heap ({@code -Xmx128m}), with
 * {@code streaming(true)} and the default memory settings: every row arrives exactly once, the spill
 * files are gone afterwards, and the peaks of heap and spill are printed for the record.
 *
 * <p>The default build streams 300,000 rows (with the server's {@code logical_decoding_work_mem} at 1 MB
 * so that it streams at all, and well past the reader's 16 MiB in-memory budget). The run:
 * {@code -Dlarge.rows=10000000}. For comparison, {@code -Dlarge.streaming=false} runs the same without
 * streaming (the server then sends the transaction only after its commit; the spill checks are skipped).
 * Both print the time from the commit to the last event.
 */
class LargeTransactionIT {

    /** Shared servers that stream at 1 MB and have room for the WAL of the 10M-row run between checkpoints. */
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.anyVersion()
            .withSetting("logical_decoding_work_mem", "1MB")
            .withSetting("max_wal_size", "4GB");

    private static final int ROWS = Integer.getInteger("large.rows", 300_000);
    private static final boolean STREAMING = Boolean.parseBoolean(System.getProperty("large.streaming", "true"));
    private static final Pattern RESULT = Pattern.compile(
            "RESULT rows=(\\d+) duplicates=(\\d+) peakHeapMiB=([\\d.]+) maxHeapMiB=([\\d.]+) peakSpillMiB=([\\d.]+) "
                    + "spillLeftMiB=([\\d.]+) .* lastEventEpochMs=(\\d+)");

    @TempDir
    Path spill;

    private long committedAtMs;

    @ParameterizedTest(name = "PostgreSQL {0}, read as {1}")
    @org.junit.jupiter.params.provider.CsvSource({"14, events", "17, events", "17, transactions"})
    void aLargeTransactionStreamsThroughASmallHeap(int major, String view) throws Exception {
        PostgresServer server = PG.server(major);
        // A database of its own on the shared server, dropped at the end with its rows and its slot; slot
        // names are server-wide, so the slot is named like it.
        String database = "large_" + major + "_" + ProcessHandle.current().pid();
        String slot = database;
        server.createDatabase(database);
        try {
            try (Connection c = server.connect(database); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE large (id int, note text)");
                s.execute("CREATE PUBLICATION large_pub FOR TABLE large");
                s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            }
            ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), LargeTransactionReaderMain.class,
                    server.host(), Integer.toString(server.port()), database, server.user(),
                    server.password(), slot, "large_pub", Integer.toString(ROWS), spill.toString(),
                    Boolean.toString(STREAMING), view);
            List<String> lines = child.lines();
            try (child) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (!lines.contains("READY")) {
                    assertTrue(child.isAlive() && System.nanoTime() < deadline, "the reader did not start: " + lines);
                    Thread.sleep(50);
                }
                long insertStarted = System.nanoTime();
                try (Connection c = server.connect(database); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO large SELECT g, 'row ' || g FROM generate_series(1, " + ROWS + ") g");
                }
                committedAtMs = System.currentTimeMillis();
                System.out.printf("[LargeTransactionIT] PG%d: %,d rows inserted in one transaction in %.1f s%n",
                        major, ROWS, (System.nanoTime() - insertStarted) / 1e9);
                assertTrue(child.waitFor(Math.max(5, ROWS / 20_000), TimeUnit.MINUTES),
                        "the reader did not finish: " + child.tail(20));
            }
            String result = lines.stream().filter(l -> l.startsWith("RESULT")).findFirst().orElse(null);
            assertNotNull(result, "no result from the reader: " + child.tail(30));
            System.out.println("[LargeTransactionIT] PG" + major + ": " + result);
            Matcher m = RESULT.matcher(result);
            assertTrue(m.matches(), result);
            assertEquals(ROWS, Integer.parseInt(m.group(1)), "every row");
            assertEquals(0, Integer.parseInt(m.group(2)), "no row twice");
            assertTrue(Double.parseDouble(m.group(4)) <= 128.0, "the heap really was limited: " + result);
            System.out.printf("[LargeTransactionIT] PG%d, streaming %s: last event %.1f s after the commit%n", major,
                    STREAMING, (Long.parseLong(m.group(7)) - committedAtMs) / 1000.0);
            assertTrue(!STREAMING || Double.parseDouble(m.group(5)) > 0, "the transaction went through spill files: " + result);
            assertEquals(0.0, Double.parseDouble(m.group(6)), "no spill file left: " + result);
            try (Connection c = server.connect(database); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT stream_txns, stream_bytes FROM pg_stat_replication_slots "
                         + "WHERE slot_name = '" + slot + "'")) {
                assertTrue(rs.next());
                System.out.printf("[LargeTransactionIT] PG%d: server streamed %d transaction(s), %.1f MiB%n",
                        major, rs.getLong(1), rs.getLong(2) / 1048576.0);
            }
        } finally {
            server.dropDatabase(database);
        }
    }
}
