package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.SnapshotSummary;
import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.testkit.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental snapshots (DBLog watermarks) while a writer changes the table: the state rebuilt from the
 * events equals the table, cell by cell, with each key read at most once — on a composite key whose first
 * column repeats hundreds of times (a bound compared column by column would skip rows), and with updates
 * that leave a TOASTed column unchanged inside a chunk's window (its value must come from the chunk).
 * Refusals name the table; a closed reader goes on from its last acknowledged chunk.
 */
class IncrementalSnapshotIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, 17})
    void aCompositeKeyWithRepeatedFirstColumnsUnderConcurrentWrites(int major) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(major), "incr");
        db.execute("CREATE TABLE c (a int, b int, v text, doc text, PRIMARY KEY (a, b))",
                "ALTER TABLE c ALTER COLUMN doc SET STORAGE EXTERNAL",
                "INSERT INTO c SELECT g / 500, g, 'v' || g, CASE WHEN g % 7 = 0 THEN repeat(md5(g::text), 100) END "
                        + "FROM generate_series(1, 30000) g",
                "CREATE TABLE done (id int PRIMARY KEY)",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        Path state = dir.resolve("c.snapshot");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger writes = new AtomicInteger();
        List<ChangeEvent> events = new ArrayList<>();
        try (LogicalReplicationReader reader = db.reader().createSlot(true).snapshotState(state).bufferCapacity(512)
                .build()) {
            Thread writer = new Thread(() -> write(db, writing, writes, 30_000));
            writer.start();
            CompletableFuture<SnapshotSummary> done = reader.snapshotTables("public.c").toCompletableFuture();
            drainUntil(reader, events, db, done, writing, writer);
            SnapshotSummary summary = done.get();
            assertEquals(List.of("public.c"), summary.tables());
            long reads = events.stream().filter(e -> e.op() == Op.READ).count();
            assertEquals(reads, summary.rows(), "the summary counts the rows delivered");
        }
        assertTrue(writes.get() > 100, "the writer ran during the snapshot: " + writes.get());
        Map<String, Integer> readKeys = new HashMap<>();
        for (ChangeEvent e : events) {
            if (e.op() == Op.READ) {
                assertEquals("incremental", e.source().snapshot());
                assertNull(e.before());
                readKeys.merge(key(e.after()), 1, Integer::sum);
            }
        }
        assertTrue(readKeys.values().stream().allMatch(n -> n == 1), "each key read at most once");
        assertSameState(tableState(db), replay(events));
        assertFalse(Files.exists(state), "nothing is owed once every row is acknowledged");
        db.dropSlot();
    }

    @Test
    void aBinaryStreamWithATimestampKeyAndAnIncludedColumnUnderConcurrentWrites() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "incrbin");
        db.execute("CREATE TABLE k (ts timestamptz, id int, x int, v text, PRIMARY KEY (ts, id) INCLUDE (x))",
                "INSERT INTO k SELECT '2024-01-01 00:00+00'::timestamptz + (g / 10) * interval '1 s', g, 0, 'v' || g "
                        + "FROM generate_series(1, 20000) g",
                "CREATE TABLE done (id int PRIMARY KEY)",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<ChangeEvent> events = new ArrayList<>();
        try (LogicalReplicationReader reader = db.reader().binary(true).createSlot(true)
                .snapshotState(dir.resolve("k.snapshot")).bufferCapacity(256).build()) {
            Thread writer = new Thread(() -> {
                Random random = new Random(3);
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    for (int i = 0; writing.get(); i++) {
                        int g = 1 + random.nextInt(20000);
                        String where = " WHERE id = " + g;
                        switch (i % 3) {
                            case 0 -> s.execute("UPDATE k SET x = x + 1" + where);   // the included column
                            case 1 -> s.execute("UPDATE k SET v = 'u' || " + i + where);
                            default -> s.execute("DELETE FROM k" + where);
                        }
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            CompletableFuture<SnapshotSummary> done = reader.snapshotTables("public.k").toCompletableFuture();
            drainUntil(reader, events, db, done, writing, writer);
        }
        Map<String, String> rebuilt = new TreeMap<>();
        for (ChangeEvent e : events) {
            if (!"k".equals(e.source().table())) {
                continue;
            }
            Map<String, Object> row = e.op() == Op.DELETE ? e.before() : e.after();
            String key = ((java.time.OffsetDateTime) row.get("ts")).toInstant() + "/" + row.get("id");
            if (e.op() == Op.DELETE) {
                rebuilt.remove(key);
            } else {
                rebuilt.put(key, row.get("x") + "|" + row.get("v"));
            }
        }
        Map<String, String> table = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ts, id, x, v FROM k")) {
            while (rs.next()) {
                table.put(rs.getObject(1, java.time.OffsetDateTime.class).toInstant() + "/" + rs.getInt(2),
                        rs.getInt(3) + "|" + rs.getString(4));
            }
        }
        assertSameState(table, rebuilt);
        db.dropSlot();
    }

    @Test
    void anUpdateLeavingToastUnchangedInsideAWindowGetsTheValueFromTheChunk() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "incrtoast");
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int, doc text)",
                "ALTER TABLE t ALTER COLUMN doc SET STORAGE EXTERNAL",
                "INSERT INTO t SELECT g, 0, repeat(md5(g::text), 100) FROM generate_series(1, 8000) g",
                "CREATE TABLE done (id int PRIMARY KEY)",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<ChangeEvent> events = new ArrayList<>();
        try (LogicalReplicationReader reader = db.reader().createSlot(true).snapshotState(dir.resolve("t.snapshot"))
                .build()) {
            // Only the small column changes: every update says "doc unchanged".
            Thread writer = new Thread(() -> {
                Random random = new Random(7);
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    while (writing.get()) {
                        s.execute("UPDATE t SET v = v + 1 WHERE id = " + (1 + random.nextInt(8000)));
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            CompletableFuture<SnapshotSummary> done = reader.snapshotTables("public.t").toCompletableFuture();
            drainUntil(reader, events, db, done, writing, writer);
        }
        Map<Object, Integer> readAt = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).op() == Op.READ) {
                readAt.put(events.get(i).after().get("id"), i);
            }
        }
        // An update before its row's chunk read keeps the marker (the chunk's row comes after it); one
        // inside the window, whose row leaves the chunk, must carry the full value.
        long filled = events.stream().filter(e -> e.op() == Op.UPDATE && e.after().get("doc") instanceof String)
                .count();
        assertTrue(filled > 0, "some updates fell inside a window and were filled from the chunk");
        Map<Object, String> state = new TreeMap<>();
        for (ChangeEvent e : events) {
            if (e.op() == Op.READ || e.op() == Op.UPDATE) {
                Object id = e.after().get("id");
                Object doc = e.after().get("doc");
                String had = state.get(id);
                String docText = doc == UnchangedToast.VALUE ? (had == null ? "?" : had.substring(had.indexOf('|') + 1))
                        : String.valueOf(doc);
                state.put(id, e.after().get("v") + "|" + docText);
            }
        }
        Map<Object, String> table = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, doc FROM t")) {
            while (rs.next()) {
                table.put(rs.getInt(1), rs.getInt(2) + "|" + rs.getString(3));
            }
        }
        assertSameState(table, state);
        db.dropSlot();
    }

    @Test
    void aPartitionedTablePublishedViaItsRootIsReadThroughTheRoot() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "incrpart");
        db.execute("CREATE TABLE p (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)",
                "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (5000)",
                "CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (5000) TO (10000)",
                "INSERT INTO p SELECT g, 'v' || g FROM generate_series(0, 9999) g",
                "CREATE PUBLICATION " + db.publication + " FOR TABLE p WITH (publish_via_partition_root = true)");
        try (LogicalReplicationReader reader = db.reader().createSlot(true).snapshotState(dir.resolve("p.snapshot"))
                .build()) {
            CompletableFuture<SnapshotSummary> done = reader.snapshotTables("public.p").toCompletableFuture();
            List<ChangeEvent> rows = Database.take(reader, 10_000);
            assertTrue(rows.stream().allMatch(e -> e.op() == Op.READ && e.source().table().equals("p")),
                    "every row as the root's");
            assertEquals(10_000, rows.stream().map(e -> e.after().get("id")).distinct().count());
            assertEquals(10_000, done.get(30, TimeUnit.SECONDS).rows());
        }
        db.dropSlot();
    }

    @Test
    void onlyWhatThePublicationPublishesIsRead() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(15), "incrfilter");
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text, secret text)",
                "INSERT INTO t SELECT g, 'v' || g, 'hidden' FROM generate_series(1, 3000) g",
                "CREATE PUBLICATION " + db.publication + " FOR TABLE t (id, v) WHERE (id % 3 = 0)");
        try (LogicalReplicationReader reader = db.reader().createSlot(true).snapshotState(dir.resolve("f.snapshot"))
                .build()) {
            SnapshotSummary summary = reader.snapshotTables("public.t").toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(1000, summary.rows(), "only the rows the row filter passes");
            List<ChangeEvent> rows = Database.take(reader, 1000);
            assertTrue(rows.stream().allMatch(e -> (Integer) e.after().get("id") % 3 == 0));
            assertEquals(List.of("id", "v"), new ArrayList<>(rows.get(0).after().keySet()), "only the listed columns");
            Database.assertNoMoreEvents(reader, Duration.ofMillis(300));
        }
        db.dropSlot();
    }

    @Test
    void tablesWithoutAKeyOrNotPublishedAreRefusedByName() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "incrrefuse");
        db.execute("CREATE TABLE nokey (n int)", "CREATE TABLE keyed (id int PRIMARY KEY)",
                "CREATE TABLE hidden (id int PRIMARY KEY)",
                "CREATE PUBLICATION " + db.publication + " FOR TABLE nokey, keyed");
        try (LogicalReplicationReader reader = db.reader().createSlot(true).snapshotState(dir.resolve("r.snapshot"))
                .build()) {
            ReplicationSetupException keyless = refusal(reader.snapshotTables("public.keyed", "public.nokey"));
            assertTrue(keyless.getMessage().contains("public.nokey") && keyless.getMessage().contains("primary key"),
                    keyless.getMessage());
            assertEquals(ReplicationSetupException.Problem.SNAPSHOT, keyless.problem());
            ReplicationSetupException unpublished = refusal(reader.snapshotTables("public.hidden"));
            assertTrue(unpublished.getMessage().contains("public.hidden")
                    && unpublished.getMessage().contains("not published"), unpublished.getMessage());
            db.execute("INSERT INTO keyed VALUES (1)");
            ChangeEvent e = Database.take(reader, 1).get(0);
            assertEquals(Op.CREATE, e.op(), "a refused request copied nothing: " + e);
        }
        assertFalse(Files.exists(dir.resolve("r.snapshot")), "a refused request is not owed");
        db.dropSlot();
    }

    @Test
    void beforePostgres14TheRequestFailsWithTheReason() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(12), "incrold");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)", "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        try (LogicalReplicationReader reader = db.reader().createSlot(true).snapshotState(dir.resolve("o.snapshot"))
                .build()) {
            ReplicationSetupException e = refusal(reader.snapshotTables("public.t"));
            assertEquals(ReplicationSetupException.Problem.SERVER_VERSION, e.problem());
            assertTrue(e.getMessage().contains("PostgreSQL 14"), e.getMessage());
        }
        db.dropSlot();
    }

    @Test
    void aReaderClosedMidwayGoesOnFromItsLastAcknowledgedChunk() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "incrresume");
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 20000) g",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        Path state = dir.resolve("resume.snapshot");
        Map<Object, Integer> seen = new HashMap<>();
        try (LogicalReplicationReader reader = db.reader().createSlot(true).snapshotState(state).bufferCapacity(64)
                .autoAcknowledge(false).build()) {
            reader.snapshotTables("public.t");
            for (ChangeEvent e : Database.take(reader, 3000)) {
                seen.merge(e.after().get("id"), 1, Integer::sum);
            }
            reader.acknowledge();
            Thread.sleep(500);   // the engine records the acknowledged chunks
        }
        assertTrue(Files.exists(state), "the unfinished snapshot is owed");
        String recorded = Files.readString(state);
        assertTrue(recorded.contains("incremental.0=public.t") && recorded.contains("after"), recorded);
        int firstRun = seen.size();
        int again = 0;
        try (LogicalReplicationReader reader = db.reader().snapshotState(state).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < 20_000 && System.nanoTime() < deadline) {
                ChangeEvent e = reader.poll(Duration.ofMillis(500));
                if (e != null && e.op() == Op.READ) {
                    again += seen.containsKey(e.after().get("id")) ? 1 : 0;
                    seen.merge(e.after().get("id"), 1, Integer::sum);
                }
            }
            reader.acknowledge();
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.exists(state) && System.nanoTime() < quiet) {
                reader.poll(Duration.ofMillis(100));
            }
        }
        assertEquals(20_000, seen.size(), "every row, across both runs");
        assertTrue(again < firstRun, "the restart read again only the unacknowledged chunk: " + again + " of "
                + firstRun);
        assertFalse(Files.exists(state), "nothing owed once it finished");
        db.dropSlot();
    }

    // ---------------------------------------------------------------- helpers

    /** The table and the state the events rebuilt are the same; says the first few differences if not. */
    static <K> void assertSameState(Map<K, String> table, Map<K, String> rebuilt) {
        List<String> differences = new ArrayList<>();
        java.util.Set<K> keys = new java.util.TreeSet<>(table.keySet());
        keys.addAll(rebuilt.keySet());
        for (K k : keys) {
            String want = table.get(k);
            String got = rebuilt.get(k);
            if (!java.util.Objects.equals(want, got)) {
                differences.add(k + ": table " + shorten(want) + ", events " + shorten(got));
            }
        }
        assertTrue(differences.isEmpty(), differences.size() + " rows differ, e.g. "
                + differences.subList(0, Math.min(5, differences.size())));
    }

    private static String shorten(String s) {
        return s == null || s.length() <= 40 ? s : s.substring(0, 40) + "…(" + s.length() + ")";
    }

    private static ReplicationSetupException refusal(java.util.concurrent.CompletionStage<SnapshotSummary> stage)
            throws Exception {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(ReplicationSetupException.class, e.getCause());
        }
        throw new AssertionError("the request was not refused");
    }

    /**
     * Takes events until the snapshot is done, then stops the writer, writes a row into {@code done} and
     * takes events up to it.
     */
    private static void drainUntil(LogicalReplicationReader reader, List<ChangeEvent> events, Database db,
                                   CompletableFuture<SnapshotSummary> done, AtomicBoolean writing, Thread writer)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean marked = false;
        while (true) {
            assertTrue(System.nanoTime() < deadline, "no end after " + events.size() + " events");
            if (!marked && done.isDone()) {
                writing.set(false);
                writer.join();
                db.execute("INSERT INTO done VALUES (1)");
                marked = true;
            }
            ChangeEvent e = reader.poll(Duration.ofMillis(200));
            if (e == null) {
                continue;
            }
            if ("done".equals(e.source().table())) {
                break;
            }
            events.add(e);
        }
        done.get();
    }

    /** Inserts, updates (the TOASTed column too, or not) and deletes rows until told to stop. */
    private static void write(Database db, AtomicBoolean writing, AtomicInteger writes, int rows) {
        Random random = new Random(42);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int i = 0; writing.get(); i++) {
                int g = 1 + random.nextInt(rows);
                String where = " WHERE a = " + g / 500 + " AND b = " + g;
                switch (i % 4) {
                    case 0 -> s.execute("UPDATE c SET v = 'u' || " + i + where);
                    case 1 -> s.execute("UPDATE c SET doc = repeat(md5('" + i + "'), 100)" + where);
                    case 2 -> s.execute("DELETE FROM c" + where);
                    default -> s.execute("INSERT INTO c VALUES (" + random.nextInt(60) + ", " + (100_000 + i)
                            + ", 'new', NULL)");
                }
                writes.incrementAndGet();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String key(Map<String, Object> row) {
        return row.get("a") + "/" + row.get("b");
    }

    /** The table as the events say: reads and inserts put rows, updates merge, deletes remove. */
    private static Map<String, String> replay(List<ChangeEvent> events) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (ChangeEvent e : events) {
            if (!"c".equals(e.source().table())) {
                continue;
            }
            switch (e.op()) {
                case READ, CREATE -> rows.put(key(e.after()), new HashMap<>(e.after()));
                case UPDATE -> {
                    Map<String, Object> row = rows.computeIfAbsent(key(e.after()), k -> new HashMap<>());
                    e.after().forEach((column, value) -> {
                        if (value != UnchangedToast.VALUE) {
                            row.put(column, value);
                        } else {
                            row.putIfAbsent(column, value);
                        }
                    });
                }
                case DELETE -> rows.remove(key(e.before()));
                default -> { }
            }
        }
        Map<String, String> state = new TreeMap<>();
        rows.forEach((k, row) -> state.put(k, row.get("v") + "|" + row.get("doc")));
        return state;
    }

    private static Map<String, String> tableState(Database db) throws Exception {
        Map<String, String> state = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT a, b, v, doc FROM c")) {
            while (rs.next()) {
                state.put(rs.getInt(1) + "/" + rs.getInt(2), rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return state;
    }
}
