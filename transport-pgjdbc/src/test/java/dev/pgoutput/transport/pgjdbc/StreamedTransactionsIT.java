package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.testkit.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transactions the server streams while they are in progress ({@code streaming(true)}, PostgreSQL 14+)
 * deliver exactly what committed, in commit order: nothing of an aborted transaction, nothing of a
 * subtransaction rolled back to its savepoint. The server streams once a transaction's changes exceed
 * {@code logical_decoding_work_mem}, set here to its minimum (64 kB), and each case checks in
 * {@code pg_stat_replication_slots} that streaming really happened. With {@code streaming = parallel}
 * (PostgreSQL 16+) the Stream Abort messages carry two more fields; delivery is the same.
 */
class StreamedTransactionsIT {

    @RegisterExtension
    static final PostgresExtension STREAMING = SharedServers.streaming();

    /** Enough rows of this padding to exceed 64 kB several times over. */
    private static final String PAD = "repeat('x', 200)";

    @TempDir
    Path spill;

    @ParameterizedTest(name = "PostgreSQL {0}, parallel streaming {1}")
    @CsvSource({"14,false", "15,false", "16,false", "17,false", "18,false", "16,true", "18,true"})
    void streamedTransactionsDeliverExactlyWhatCommitted(int major, boolean parallel) throws Exception {
        Database db = Database.inOwnDatabase(STREAMING.server(major), "stream" + major);
        try {
            db.execute("CREATE TABLE big (id int PRIMARY KEY, part text, pad text)");
            db.createPublicationAndSlot("big");
            // A file a dead process left behind must be gone once a reader starts.
            Path leftover = spill.resolve("xid-1-1.spill");
            Files.writeString(leftover, "stale");
            try (LogicalReplicationReader reader = db.reader().streaming(true).parallelStreaming(parallel)
                    .spillDirectory(spill).spillMemory(32 * 1024)
                    .reconnect(Database.FAST_RETRY).build()) {
                assertFalse(Files.exists(leftover), "a leftover spill file is removed at start-up");

                // 1. A streamed transaction that commits after a small one that started later: the small
                //    one comes first, then all of the big one.
                try (Connection a = db.connect(); Statement sa = a.createStatement()) {
                    a.setAutoCommit(false);
                    sa.execute("INSERT INTO big SELECT g, 'big', " + PAD + " FROM generate_series(1, 3000) g");
                    db.execute("INSERT INTO big VALUES (100000, 'small', 'x')");
                    ChangeEvent small = reader.poll(Duration.ofSeconds(30));
                    assertEquals("small", small.after().get("part"), "the small transaction committed first");
                    sa.execute("INSERT INTO big SELECT g, 'big', " + PAD + " FROM generate_series(3001, 5000) g");
                    a.commit();
                }
                List<ChangeEvent> big = Database.take(reader, 5000);
                assertEquals(ids(1, 5000), idsOf(big), "every row of the streamed transaction, in order");
                assertTrue(big.stream().allMatch(e -> e.op() == Op.CREATE));
                assertEquals(1, big.stream().map(e -> e.source().txId()).distinct().count(), "one transaction");
                assertEquals(1, big.stream().map(e -> e.source().commitLsn()).distinct().count());
                db.awaitStreamedTransactions(1);
                assertNoSpillFiles();

                // 2. An aborted streamed transaction delivers nothing.
                long streamedBefore = db.streamedTransactions();
                try (Connection a = db.connect(); Statement sa = a.createStatement()) {
                    a.setAutoCommit(false);
                    sa.execute("INSERT INTO big SELECT g, 'aborted', " + PAD + " FROM generate_series(10001, 13000) g");
                    // Roll back only once the server has streamed it: PostgreSQL 18 does not stream a
                    // transaction it already knows to be aborted.
                    db.awaitStreamedTransactions(streamedBefore + 1);
                    a.rollback();
                }
                db.execute("INSERT INTO big VALUES (200000, 'after abort', 'x')");
                ChangeEvent next = reader.poll(Duration.ofSeconds(30));
                assertEquals("after abort", next.after().get("part"), "nothing of the aborted transaction");
                assertNoSpillFiles();

                // 3. Savepoints: rolled-back subtransactions leave out their rows, released ones keep them,
                //    and rows of the top level after a rollback still come.
                try (Connection a = db.connect(); Statement sa = a.createStatement()) {
                    a.setAutoCommit(false);
                    sa.execute("INSERT INTO big SELECT g, 'top', " + PAD + " FROM generate_series(20001, 21000) g");
                    sa.execute("SAVEPOINT s1");
                    sa.execute("INSERT INTO big SELECT g, 'rolled back', " + PAD + " FROM generate_series(21001, 22000) g");
                    sa.execute("SAVEPOINT s1a");
                    sa.execute("INSERT INTO big SELECT g, 'rolled back', " + PAD + " FROM generate_series(22001, 22500) g");
                    sa.execute("ROLLBACK TO SAVEPOINT s1");
                    sa.execute("INSERT INTO big SELECT g, 'top', " + PAD + " FROM generate_series(22501, 23500) g");
                    sa.execute("SAVEPOINT s2");
                    sa.execute("INSERT INTO big SELECT g, 'released', " + PAD + " FROM generate_series(23501, 24500) g");
                    sa.execute("RELEASE SAVEPOINT s2");
                    sa.execute("SAVEPOINT s3");
                    sa.execute("UPDATE big SET part = 'update rolled back' WHERE id BETWEEN 20001 AND 20500");
                    sa.execute("ROLLBACK TO SAVEPOINT s3");
                    sa.execute("DELETE FROM big WHERE id = 20001");
                    a.commit();
                }
                List<Integer> expected = new ArrayList<>(ids(20001, 21000));
                expected.addAll(ids(22501, 24500));
                expected.add(20001);
                List<ChangeEvent> saved = Database.take(reader, expected.size());
                assertEquals(expected, idsOf(saved), "exactly the rows that committed");
                assertEquals(Op.DELETE, saved.get(saved.size() - 1).op());
                assertTrue(saved.stream().noneMatch(e -> e.after() != null
                        && String.valueOf(e.after().get("part")).contains("rolled back")));
                Database.assertNoMoreEvents(reader, Duration.ofSeconds(1));
                assertNoSpillFiles();
                assertEquals(tableIds(db), tableIdsAfterStream(big, saved), "the reader agrees with the table");

                // 4. The connection is lost while a streamed transaction is open: what was kept is dropped,
                //    the server streams the transaction again from its start, and every row comes once.
                long streamed = db.streamedTransactions();
                try (Connection a = db.connect(); Statement sa = a.createStatement()) {
                    a.setAutoCommit(false);
                    sa.execute("INSERT INTO big SELECT g, 'cut', " + PAD + " FROM generate_series(30001, 32000) g");
                    db.awaitStreamedTransactions(streamed + 1);
                    db.terminateWalsender();
                    sa.execute("INSERT INTO big SELECT g, 'cut', " + PAD + " FROM generate_series(32001, 33000) g");
                    a.commit();
                }
                List<ChangeEvent> cut = Database.take(reader, 3000);
                assertEquals(ids(30001, 33000), idsOf(cut), "every row once after the reconnect");
                Database.assertNoMoreEvents(reader, Duration.ofSeconds(1));
                assertNoSpillFiles();
            }
            assertNoSpillFiles();

            // 5. A reader closed while it keeps an open streamed transaction in a file removes the file.
            try (Connection a = db.connect(); Statement sa = a.createStatement()) {
                a.setAutoCommit(false);
                try (LogicalReplicationReader reader = db.reader().streaming(true).spillDirectory(spill).spillMemory(0)
                        .build()) {
                    long streamed = db.streamedTransactions();
                    sa.execute("INSERT INTO big SELECT g, 'open', " + PAD + " FROM generate_series(40001, 42000) g");
                    db.awaitStreamedTransactions(streamed + 1);
                    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                    while (spillFiles().isEmpty()) {
                        assertTrue(System.nanoTime() < deadline, "the open transaction never reached a spill file");
                        Thread.sleep(20);
                    }
                    Database.assertNoMoreEvents(reader, Duration.ofMillis(200));
                }
                assertNoSpillFiles();
                a.rollback();
            }
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    private List<Path> spillFiles() throws Exception {
        try (Stream<Path> files = Files.list(spill)) {
            return files.filter(f -> f.toString().endsWith(".spill")).toList();
        }
    }

    private void assertNoSpillFiles() throws Exception {
        assertEquals(List.of(), spillFiles(), "spill files are removed once their transaction is delivered or "
                + "aborted, and when the reader closes");
    }

    private static List<Integer> tableIds(Database db) throws Exception {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM big WHERE id >= 20001 AND id < 100000 ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private static List<Integer> tableIdsAfterStream(List<ChangeEvent> big, List<ChangeEvent> saved) {
        java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
        for (ChangeEvent e : saved) {
            int id = ((Number) (e.after() != null ? e.after() : e.before()).get("id")).intValue();
            if (e.op() == Op.DELETE) {
                ids.remove(id);
            } else {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }

    private static List<Integer> ids(int from, int to) {
        List<Integer> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add(i);
        }
        return ids;
    }

    private static List<Integer> idsOf(List<ChangeEvent> events) {
        return events.stream()
                .map(e -> ((Number) (e.after() != null ? e.after() : e.before()).get("id")).intValue())
                .toList();
    }
}
