package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.SnapshotMode;
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
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The initial snapshot: the tables copied under the new slot's exported snapshot by several connections,
 * then the stream from the consistent point, with a writer changing the tables all along: the state
 * rebuilt from the events equals the tables, each copied key once, the markers as Debezium's.
 */
class InitialSnapshotIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {12, 14, 17})
    void copyThenStreamWithAWriterThroughout(int major) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(major), "snap");
        db.execute("CREATE TABLE big (id int PRIMARY KEY, v text, doc text)",
                "CREATE TABLE nokey (n int, label text)",
                "INSERT INTO big SELECT g, 'v' || g, CASE WHEN g % 1000 = 0 THEN repeat(md5(g::text), 400) END "
                        + "FROM generate_series(1, 60000) g",
                "INSERT INTO nokey SELECT g, E'tab\\there\\\\and\\nline' FROM generate_series(1, 500) g",
                "ANALYZE big", "ANALYZE nokey",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES",
                "ALTER TABLE nokey REPLICA IDENTITY FULL");
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer;
        List<ChangeEvent> events = new ArrayList<>();
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotParallelism(4)
                .snapshotState(dir.resolve("s.snapshot")).bufferCapacity(256).build()) {
            writer = new Thread(() -> write(db, writing));
            writer.start();
            Thread.sleep(300);
            writing.set(false);
            writer.join();
            db.execute("INSERT INTO big VALUES (-1, 'end', NULL)");
            while (true) {
                ChangeEvent e = reader.poll(Duration.ofSeconds(30));
                assertTrue(e != null, "events stopped after " + events.size());
                events.add(e);
                if (e.op() == Op.CREATE && Integer.valueOf(-1).equals(e.after().get("id"))) {
                    break;
                }
            }
            reader.acknowledge();
        } finally {
            writing.set(false);
        }
        List<ChangeEvent> reads = events.stream().filter(e -> e.op() == Op.READ).toList();
        assertEquals(60_500, reads.size(), "every row of both tables copied once");
        assertEquals(60_000, reads.stream().filter(e -> e.source().table().equals("big"))
                .map(e -> e.after().get("id")).distinct().count(), "each key once");
        int firstStreamed = events.indexOf(events.stream().filter(e -> e.op() != Op.READ).findFirst().orElseThrow());
        assertEquals(60_500, firstStreamed, "the copy comes whole before the stream");
        long consistentPoint = reads.get(0).source().lsn();
        assertTrue(reads.stream().allMatch(e -> e.source().lsn() == consistentPoint), "the copy's LSN is the slot's");
        assertTrue(events.get(firstStreamed).source().commitLsn() > consistentPoint);
        assertEquals("first", reads.get(0).source().snapshot());
        assertEquals("last", reads.get(reads.size() - 1).source().snapshot());
        assertEquals(1, reads.stream().filter(e -> e.source().snapshot().equals("first_in_data_collection")).count());
        assertEquals(1, reads.stream().filter(e -> e.source().snapshot().equals("last_in_data_collection")).count());
        ChangeEvent escaped = reads.stream().filter(e -> e.source().table().equals("nokey")).findFirst().orElseThrow();
        assertEquals("tab\there\\and\nline", escaped.after().get("label"), "COPY's escapes undone");
        assertEquals(tableState(db), replay(events), "the events rebuild the table");
        assertFalse(Files.exists(dir.resolve("s.snapshot")), "the record goes once every row is acknowledged");
        db.dropSlot();
    }

    /** Inserts, updates (TOASTed values too) and deletes rows of {@code big} until told to stop. */
    private static void write(Database db, AtomicBoolean writing) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int i = 0; writing.get(); i++) {
                s.execute("INSERT INTO big VALUES (" + (100_000 + i) + ", 'new', NULL)");
                s.execute("UPDATE big SET v = 'changed' || " + i + " WHERE id = " + (1 + i * 37 % 60_000));
                s.execute("UPDATE big SET v = 'toast' || " + i + " WHERE id = " + ((i % 50 + 1) * 1000));
                s.execute("DELETE FROM big WHERE id = " + (2 + i * 53 % 60_000));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<Object, String> replay(List<ChangeEvent> events) {
        Map<Object, String> state = new TreeMap<>();
        for (ChangeEvent e : events) {
            if (e.tableName() == null || !e.tableName().equals("public.big")) {
                continue;
            }
            switch (e.op()) {
                case READ, CREATE, UPDATE -> state.put(e.after().get("id"), e.after().get("v") + "|" + length(e.after().get("doc")));
                case DELETE -> state.remove(e.before().get("id"));
                default -> { }
            }
        }
        state.remove(-1);
        return state;
    }

    private static String length(Object doc) {
        return doc == null ? "null" : doc instanceof String s ? Integer.toString(s.length()) : "unchanged";
    }

    private static Map<Object, String> tableState(Database db) throws Exception {
        Map<Object, String> state = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, length(doc) FROM big WHERE id <> -1")) {
            while (rs.next()) {
                String len = rs.getString(3);
                state.put(rs.getInt(1), rs.getString(2) + "|" + (len == null ? "null" : len));
            }
        }
        return state;
    }

    @Test
    void aBinaryReaderCopiesInBinaryTheTablesWhoseTypesAllowItAndGetsTheSameValues() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "snapbin");
        db.execute("CREATE TYPE mood AS ENUM ('ok', 'sad')", "CREATE TYPE pair AS (a int, b text)",
                "CREATE TABLE typed (id int PRIMARY KEY, n numeric(12,3), f float8, ts timestamptz, d date, "
                        + "t text, b bytea, j jsonb, u uuid, a int[], m mood, p pair, r int4range, i interval, "
                        + "net inet, bits varbit, pt point)",
                "INSERT INTO typed SELECT g, g * 1.5, g / 3.0, '2024-01-01 00:00+00'::timestamptz + g * interval '1 h', "
                        + "'2024-01-01'::date + g, 'x' || g, decode(md5(g::text), 'hex'), jsonb_build_object('g', g), "
                        + "md5(g::text)::uuid, ARRAY[g, NULL, g + 1], 'sad', ROW(g, 'p' || g::text)::pair, int4range(g, g + 9), "
                        + "g * interval '1 minute', '10.0.0.1', B'1011', point(g, -g) FROM generate_series(1, 300) g",
                "INSERT INTO typed (id) VALUES (0)",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        Map<Object, String> text = new TreeMap<>();
        Map<Object, String> binary = new TreeMap<>();
        for (boolean inBinary : new boolean[] {false, true}) {
            try (LogicalReplicationReader reader = db.reader().slot(db.slot + (inBinary ? "_b" : "_t")).binary(inBinary)
                    .snapshot(SnapshotMode.INITIAL_ONLY).snapshotState(dir.resolve(inBinary + ".snapshot")).build()) {
                for (ChangeEvent e : reader) {
                    (inBinary ? binary : text).put(e.after().get("id"), cells(e.after()));
                }
            }
        }
        assertEquals(301, text.size());
        assertEquals(text, binary, "the same Java values from a binary copy as from a text one");
    }

    /** A row's values as text, byte arrays in hex. */
    private static String cells(Map<String, Object> row) {
        StringBuilder s = new StringBuilder();
        row.forEach((k, v) -> s.append(k).append('=')
                .append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v)).append(';'));
        return s.toString();
    }

    @Test
    void initialOnlyCopiesWhatThePublicationPublishesThenEndsAndDropsTheSlot() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(15), "snaponly");
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text, secret text)",
                "INSERT INTO t SELECT g, 'v' || g, 'hidden' FROM generate_series(1, 1000) g",
                "CREATE PUBLICATION " + db.publication + " FOR TABLE t (id, v) WHERE (id % 2 = 0)");
        List<ChangeEvent> events = new ArrayList<>();
        Path state = dir.resolve("only.snapshot");
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL_ONLY).snapshotParallelism(2)
                .snapshotState(state).build()) {
            for (ChangeEvent e : reader) {
                events.add(e);
            }
        }
        assertEquals(500, events.size(), "only the rows the row filter passes");
        assertTrue(events.stream().allMatch(e -> ((Integer) e.after().get("id")) % 2 == 0));
        assertEquals(List.of("id", "v"), new ArrayList<>(events.get(0).after().keySet()), "only the listed columns");
        assertNull(slotPlugin(db), "the slot made for the snapshot is gone");
        assertFalse(Files.exists(state));
    }

    @Test
    void anExistingSlotIsStreamedWithoutACopy() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "snapexists");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        db.createPublicationAndSlot(null);
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL)
                .snapshotState(dir.resolve("e.snapshot")).build()) {
            db.execute("INSERT INTO t VALUES (2)");
            ChangeEvent e = Database.take(reader, 1).get(0);
            assertEquals(Op.CREATE, e.op());
            assertEquals(2, e.after().get("id"));
        } finally {
            db.dropSlot();
        }
        db.execute("SELECT pg_create_logical_replication_slot('" + db.slot + "', 'pgoutput')");
        ReplicationSetupException only = assertThrows(ReplicationSetupException.class, () ->
                db.reader().snapshot(SnapshotMode.INITIAL_ONLY).snapshotState(dir.resolve("e2.snapshot")).build().close());
        assertTrue(only.getMessage().contains("exists"), only.getMessage());
        db.dropSlot();
    }

    @Test
    void aSnapshotCutShortIsFinishedIncrementallyAtTheNextStart() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "snapcut");
        db.execute("CREATE TABLE a_small (id int PRIMARY KEY)", "CREATE TABLE t (id int PRIMARY KEY)",
                "INSERT INTO a_small SELECT g FROM generate_series(1, 100) g",
                "INSERT INTO t SELECT g FROM generate_series(1, 20000) g",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        Path state = dir.resolve("cut.snapshot");
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotState(state)
                .bufferCapacity(16).build()) {
            Database.take(reader, 110);   // all of a_small (acknowledged by asking for more), then closed mid-copy
        }
        assertTrue(Files.exists(state), "the copy was not finished: its record stays");
        String recorded = Files.readString(state);
        assertTrue(recorded.contains("public.a_small") && !recorded.contains("public.t"), recorded);
        Map<Object, Integer> seen = new HashMap<>();
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotState(state).build()) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < 20_000 && System.nanoTime() < deadline) {
                ChangeEvent ev = reader.poll(Duration.ofMillis(500));
                if (ev != null) {
                    assertEquals("t", ev.source().table(), "the table the copy finished is not read again");
                    assertEquals("incremental", ev.source().snapshot());
                    seen.merge(ev.after().get("id"), 1, Integer::sum);
                }
            }
            long quiet = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (Files.exists(state) && System.nanoTime() < quiet) {
                assertNull(reader.poll(Duration.ofMillis(100)));
            }
        }
        assertEquals(20_000, seen.size(), "the rest of the copy, finished against the stream");
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "each row once");
        assertFalse(Files.exists(state), "nothing owed any more");
        db.dropSlot();
    }

    @Test
    void aSnapshotCutShortWithAKeylessTableIsRefusedUntilStartedOver() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "snapcutnokey");
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t SELECT g FROM generate_series(1, 20000) g",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES", "ALTER TABLE t REPLICA IDENTITY FULL");
        Path state = dir.resolve("cutnokey.snapshot");
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotState(state)
                .bufferCapacity(16).build()) {
            Database.take(reader, 10);   // then closed in the middle of the copy
        }
        assertTrue(Files.exists(state), "the copy was not finished: its record stays");
        ReplicationSetupException e = assertThrows(ReplicationSetupException.class,
                () -> db.reader().snapshot(SnapshotMode.INITIAL).snapshotState(state).build().close());
        assertTrue(e.getMessage().contains("was interrupted") && e.getMessage().contains("public.t"), e.getMessage());
        assertTrue(e.remedy().contains("pg_drop_replication_slot"), e.remedy());
        db.dropSlot();
        Files.delete(state);
        Map<Object, Integer> seen = new HashMap<>();
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotState(state).build()) {
            for (ChangeEvent ev : Database.take(reader, 20_000)) {
                seen.merge(ev.after().get("id"), 1, Integer::sum);
            }
        }
        assertEquals(20_000, seen.size(), "started over: the whole table");
        db.dropSlot();
    }

    @ParameterizedTest(name = "publish_via_partition_root = {0}")
    @ValueSource(booleans = {true, false})
    void aPartitionedTableIsCopiedAsThePublicationNamesIt(boolean viaRoot) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "snappart");
        db.execute("CREATE TABLE p (id int, region text, PRIMARY KEY (id, region)) PARTITION BY LIST (region)",
                "CREATE TABLE p_eu PARTITION OF p FOR VALUES IN ('eu')",
                "CREATE TABLE p_us PARTITION OF p FOR VALUES IN ('us')",
                "INSERT INTO p SELECT g, CASE WHEN g % 3 = 0 THEN 'us' ELSE 'eu' END FROM generate_series(1, 300) g",
                "CREATE PUBLICATION " + db.publication + " FOR TABLE p WITH (publish_via_partition_root = " + viaRoot + ")");
        Map<String, Integer> perTable = new TreeMap<>();
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotParallelism(2)
                .snapshotState(dir.resolve("p.snapshot")).build()) {
            for (ChangeEvent e : Database.take(reader, 300)) {
                assertEquals(Op.READ, e.op());
                perTable.merge(e.tableName(), 1, Integer::sum);
            }
            db.execute("INSERT INTO p VALUES (1000, 'us')");
            ChangeEvent streamed = Database.take(reader, 1).get(0);
            assertEquals(viaRoot ? "public.p" : "public.p_us", streamed.tableName(), "the stream names it the same way");
        } finally {
            db.dropSlot();
        }
        assertEquals(viaRoot ? Map.of("public.p", 300) : Map.of("public.p_eu", 200, "public.p_us", 100), perTable);
    }

    @ParameterizedTest(name = "publish_generated_columns = {0}")
    @ValueSource(strings = {"stored", "none"})
    void generatedColumnsAreCopiedWhenPostgres18PublishesThem(String publish) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(18), "snapgen");
        db.execute("CREATE TABLE g (id int PRIMARY KEY, a int, b int GENERATED ALWAYS AS (a * 2) STORED)",
                "INSERT INTO g (id, a) VALUES (1, 21)",
                "CREATE PUBLICATION " + db.publication + " FOR TABLE g WITH (publish_generated_columns = " + publish + ")");
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL)
                .snapshotState(dir.resolve("g.snapshot")).build()) {
            ChangeEvent read = Database.take(reader, 1).get(0);
            db.execute("INSERT INTO g (id, a) VALUES (2, 5)");
            ChangeEvent streamed = Database.take(reader, 1).get(0);
            assertEquals(new ArrayList<>(streamed.after().keySet()), new ArrayList<>(read.after().keySet()),
                    "the copy has the columns the stream has");
            if (publish.equals("stored")) {
                assertEquals(42, read.after().get("b"));
            } else {
                assertFalse(read.after().containsKey("b"));
            }
        } finally {
            db.dropSlot();
        }
    }

    private static String slotPlugin(Database db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT plugin FROM pg_replication_slots WHERE slot_name = '" + db.slot + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
