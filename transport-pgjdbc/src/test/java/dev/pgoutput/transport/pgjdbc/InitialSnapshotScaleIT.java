package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.SnapshotMode;
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
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initial snapshot of a 200,000-row table with out-of-line TOASTed values, copied by four connections
 * on PostgreSQL 17 while a writer inserts, updates and deletes rows through the copy and beyond it.
 *
 * <p>It proves, for issue 13:
 * <ul>
 *   <li>one snapshot for every connection: the copy is the table exactly as it was when the slot was made,
 *       every key once as a READ event, although the writer committed a transaction changing every
 *       thousandth row after the slot had exported its snapshot and before any copying connection had
 *       imported it. A login event trigger holds every connection that logs in once the slot is made (the
 *       copying ones: the application name comes only after the login, so it cannot pick them) until that
 *       transaction has committed, so a connection that read under a snapshot of its own would show its
 *       values (a mix across the ranges, or all of them: either fails);</li>
 *   <li>the markers are Debezium's: one {@code "first"}, one {@code "last"}, {@code "true"} between, and
 *       {@code "false"} on streamed events, which all come after the copy, from transactions that commit at
 *       or after the consistent point (the copy's {@code source().lsn()});</li>
 *   <li>the state rebuilt from every event equals the table read with JDBC at the end, cell by cell, with
 *       updates that leave a TOASTed value out ({@link UnchangedToast#VALUE}) keeping the earlier value.</li>
 * </ul>
 */
class InitialSnapshotScaleIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    private static final int ROWS = 200_000;
    private static final int PARALLELISM = 4;
    /** Every {@code TOASTED}-th row has a 12,800-byte document, stored out of line (STORAGE EXTERNAL). */
    private static final int TOASTED = 100;
    /** The advisory lock the login trigger makes connections wait for once the slot is made. */
    private static final int GATE = 4242;
    /** The READ event at which the test stops taking rows (and so, the queue being bounded, the copy waits)... */
    private static final int HOLD_AT_ROW = ROWS / 2;
    /** ...until the writer has done this many rounds: they run during the copy. */
    private static final int ROUNDS_DURING_COPY = 100;
    /** Streamed transactions to see after the copy before the writer is stopped. */
    private static final int STREAMED_TRANSACTIONS = 300;
    private static final Duration QUIET = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** One row of {@code big}, as text. */
    record Row(String v, String doc) {
    }

    @Test
    void aLargeCopyUnderOneSnapshotThenTheStreamRebuildTheTable() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "snapscale");
        try {
            run(db);
        } finally {
            db.dropSlot();
            db.server.dropDatabase(db.database);
        }
    }

    private void run(Database db) throws Exception {
        long started = System.nanoTime();
        db.execute("CREATE TABLE big (id int PRIMARY KEY, v text, doc text)",
                "ALTER TABLE big ALTER COLUMN doc SET STORAGE EXTERNAL",
                "CREATE TABLE done (id int PRIMARY KEY)",
                "INSERT INTO big SELECT g, 'v' || g, CASE WHEN g % " + TOASTED + " = 0 THEN repeat(md5(g::text), 400) "
                        + "WHEN g % 7 = 0 THEN NULL ELSE 'd' || g END FROM generate_series(1, " + ROWS + ") g",
                "ANALYZE big",
                "CREATE PUBLICATION " + db.publication + " FOR TABLE big, done",
                "CREATE FUNCTION hold_copying_logins() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = '" + db.slot + "' "
                        + "AND confirmed_flush_lsn IS NOT NULL) THEN "
                        + "PERFORM pg_advisory_lock_shared(" + GATE + "); PERFORM pg_advisory_unlock_shared(" + GATE + "); "
                        + "END IF; END $$",
                "CREATE EVENT TRIGGER hold_copying_logins ON login EXECUTE FUNCTION hold_copying_logins()");
        assertEquals(ROWS / TOASTED, outOfLineValues(db), "every long document is stored out of line");
        Map<Integer, Row> loaded = tableState(db);
        Path state = dir.resolve("scale.snapshot");

        Writer writer = new Writer(db);
        writer.start();
        writer.gateClosed.await();
        Map<Integer, Row> rebuilt = new HashMap<>();
        Map<Integer, Integer> readCounts = new HashMap<>();
        Map<String, Integer> markers = new TreeMap<>();
        List<String> readMismatches = new ArrayList<>();
        List<String> anomalies = new ArrayList<>();
        int afterInCopy = 0;
        long consistentPoint = -1;
        long lastCommitLsn = -1;
        int streamedTransactions = 0;
        int unchangedToast = 0;
        String lastMarker = null;
        boolean streaming = false;
        boolean doneWritten = false;
        try (LogicalReplicationReader reader = db.reader().createSlot(true).snapshot(SnapshotMode.INITIAL)
                .snapshotParallelism(PARALLELISM).snapshotState(state).build()) {
            System.out.printf("[InitialSnapshotScaleIT] table loaded and reader started in %.1f s%n",
                    (System.nanoTime() - started) / 1e9);
            assertTrue(writer.gateOpened.get(), "the writer's first transaction came before the copy");
            while (true) {
                ChangeEvent e = reader.poll(QUIET);
                assertNotNull(e, "events stopped after " + readCounts.size() + " copied rows and " + streamedTransactions
                        + " streamed transactions; writer: " + writer.failure.get());
                String marker = e.source().snapshot();
                if (e.op() == Op.READ) {
                    assertFalse(streaming, "a copied row after the stream began: " + e);
                    if (consistentPoint < 0) {
                        consistentPoint = e.source().lsn();
                    }
                    assertEquals(consistentPoint, e.source().lsn(), "every copied row carries the consistent point");
                    markers.merge(marker, 1, Integer::sum);
                    lastMarker = marker;
                    int id = (Integer) e.after().get("id");
                    int times = readCounts.merge(id, 1, Integer::sum);
                    Row row = row(e.after(), null);
                    afterInCopy += "after".equals(row.v()) ? 1 : 0;
                    if (!row.equals(loaded.get(id)) && readMismatches.size() < 10) {
                        readMismatches.add(id + ": copied " + brief(row) + ", loaded " + brief(loaded.get(id)));
                    }
                    if (times == 1) {
                        rebuilt.put(id, row);
                    }
                    if (readCounts.size() == HOLD_AT_ROW) {
                        writer.awaitRounds(ROUNDS_DURING_COPY);
                    }
                    continue;
                }
                assertEquals("false", marker, "a streamed event's marker: " + e);
                if (!streaming) {
                    streaming = true;
                    assertTrue(e.source().commitLsn() >= consistentPoint, "the first streamed transaction commits at "
                            + e.source().commitLsn() + ", before the consistent point " + consistentPoint);
                }
                if (e.source().commitLsn() != lastCommitLsn) {
                    assertTrue(e.source().commitLsn() > lastCommitLsn, "commit LSNs grow: " + e);
                    lastCommitLsn = e.source().commitLsn();
                    streamedTransactions++;
                }
                if (e.tableName().equals("public.done")) {
                    break;
                }
                unchangedToast += apply(rebuilt, e, anomalies);
                if (streamedTransactions == STREAMED_TRANSACTIONS && !doneWritten) {
                    doneWritten = true;
                    writer.finish();
                    db.execute("INSERT INTO done VALUES (1)");
                }
            }
            reader.acknowledge();
        } finally {
            writer.finish();
        }
        assertNull(writer.failure.get(), "the writer failed");
        System.out.printf("[InitialSnapshotScaleIT] %,d rows copied, %,d transactions streamed (%,d writer rounds, "
                        + "%,d updates without their TOASTed value) in %.1f s from the start%n", readCounts.size(),
                streamedTransactions, writer.rounds.get(), unchangedToast, (System.nanoTime() - started) / 1e9);

        assertEquals(0, afterInCopy, "rows of the writer's first transaction, committed after the slot was made, "
                + "in the copy (of " + ROWS / 1000 + " it changed)");
        assertEquals(List.of(), loaded.keySet().stream().filter(id -> !readCounts.containsKey(id)).limit(10).toList(),
                "keys of the table not copied");
        assertEquals(List.of(), readCounts.keySet().stream().filter(id -> !loaded.containsKey(id)).limit(10).toList(),
                "keys copied that the table did not have");
        assertEquals(List.of(), readCounts.entrySet().stream().filter(en -> en.getValue() != 1).map(Map.Entry::getKey)
                .limit(10).toList(), "keys copied more than once");
        assertEquals(List.of(), readMismatches, "the copy shows the table as it was when the slot was made");
        assertEquals(Map.of("first", 1, "true", ROWS - 2, "last", 1), markers, "the copy's markers");
        assertEquals("last", lastMarker, "the last copied row is marked last");
        assertEquals(List.of(), anomalies, "streamed changes of rows the copy and the stream before them did not have");
        assertTrue(unchangedToast > 0, "some updates left a TOASTed value out");
        assertEquals(List.of(), differences(tableState(db), rebuilt), "the events rebuild the table, cell by cell");
        assertFalse(Files.exists(state), "the record goes once every row is acknowledged");
        System.out.printf("[InitialSnapshotScaleIT] done in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Applies a streamed change of {@code big} to the state, noting in {@code anomalies} an update or delete
     * of a row the state does not have; returns 1 when it was an update that left the TOASTed document out.
     */
    private static int apply(Map<Integer, Row> state, ChangeEvent e, List<String> anomalies) {
        switch (e.op()) {
            case CREATE -> state.put((Integer) e.after().get("id"), row(e.after(), null));
            case UPDATE -> {
                Integer id = (Integer) e.after().get("id");
                Row old = state.get(id);
                if (old == null && anomalies.size() < 10) {
                    anomalies.add("update of " + id + ", not in the state, at " + e.source().lsn());
                }
                state.put(id, row(e.after(), old));
                return e.after().get("doc") == UnchangedToast.VALUE ? 1 : 0;
            }
            case DELETE -> {
                Integer id = (Integer) e.before().get("id");
                if (state.remove(id) == null && anomalies.size() < 10) {
                    anomalies.add("delete of " + id + ", not in the state, at " + e.source().lsn());
                }
            }
            default -> throw new AssertionError("unexpected event " + e);
        }
        return 0;
    }

    /** The row an event's columns give; an unchanged TOASTed document keeps {@code old}'s. */
    private static Row row(Map<String, Object> columns, Row old) {
        Object doc = columns.get("doc");
        if (doc == UnchangedToast.VALUE) {
            return new Row((String) columns.get("v"), old == null ? "(unchanged TOAST, no earlier value)" : old.doc());
        }
        return new Row((String) columns.get("v"), (String) doc);
    }

    /** The keys whose rows differ, with both sides, at most ten. */
    private static List<String> differences(Map<Integer, Row> table, Map<Integer, Row> rebuilt) {
        List<String> out = new ArrayList<>();
        Map<Integer, Row> all = new TreeMap<>(table);
        rebuilt.forEach(all::putIfAbsent);
        for (Integer id : all.keySet()) {
            if (!Objects.equals(table.get(id), rebuilt.get(id)) && out.size() < 10) {
                out.add(id + ": table " + brief(table.get(id)) + ", events " + brief(rebuilt.get(id)));
            }
        }
        return out;
    }

    private static String brief(Row r) {
        if (r == null) {
            return "no row";
        }
        String doc = r.doc() == null ? "NULL" : r.doc().length() > 20
                ? r.doc().substring(0, 12) + "…(" + r.doc().length() + " chars, hash " + r.doc().hashCode() + ")" : r.doc();
        return "(" + r.v() + ", " + doc + ")";
    }

    private static Map<Integer, Row> tableState(Database db) throws Exception {
        Map<Integer, Row> rows = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, doc FROM big")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), new Row(rs.getString(2), rs.getString(3)));
            }
        }
        return rows;
    }

    /** How many values of {@code big} sit in its TOAST table (each has a chunk_id of its own). */
    private static long outOfLineValues(Database db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String toast;
            try (ResultSet rs = s.executeQuery("SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = 'big'::regclass")) {
                rs.next();
                toast = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT chunk_id) FROM " + toast)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The writer. It takes the {@link #GATE} advisory lock (no transaction, so slot creation does not wait
     * for it), waits until a connection waits for it at login (the login trigger holds only those that
     * come once the slot has exported its snapshot), commits one transaction that sets {@code v = 'after'} on every thousandth row, and lets
     * the connections in. Then, in rounds of single-statement transactions until stopped, it inserts rows,
     * updates only {@code v} of rows with out-of-line documents (they stream without the document),
     * replaces documents with long or short ones, and deletes rows.
     */
    private static final class Writer extends Thread {
        final CountDownLatch gateClosed = new CountDownLatch(1);
        final AtomicBoolean gateOpened = new AtomicBoolean();
        final AtomicInteger rounds = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final Database db;

        Writer(Database db) {
            super("writer");
            this.db = db;
        }

        @Override
        public void run() {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + GATE + ")");
                gateClosed.countDown();
                awaitALoginAtTheGate(s);
                c.setAutoCommit(false);
                s.execute("UPDATE big SET v = 'after' WHERE id % 1000 = 0");
                c.commit();
                c.setAutoCommit(true);
                s.execute("SELECT pg_advisory_unlock(" + GATE + ")");
                gateOpened.set(true);
                for (int i = 0; writing.get(); i++) {
                    s.execute("INSERT INTO big VALUES (" + (1_000_000 + i) + ", 'new" + i + "', "
                            + (i % 4 == 0 ? "repeat(md5('n" + i + "'), 300)" : "'small" + i + "'") + ")");
                    s.execute("UPDATE big SET v = 'w" + i + "' WHERE id = " + (i * 7 % (ROWS / TOASTED) + 1) * TOASTED);
                    s.execute("UPDATE big SET v = 'again" + i + "' WHERE id = " + (1_000_000 + i / 2));
                    s.execute("UPDATE big SET doc = repeat(md5('d" + i + "'), 300) WHERE id = " + (1 + i * 37 % ROWS));
                    if (i % 3 == 0) {
                        s.execute("UPDATE big SET doc = 'shrunk" + i + "' WHERE id = " + (i * 13 % (ROWS / TOASTED) + 1) * TOASTED);
                    }
                    s.execute("UPDATE big SET v = v || '+' WHERE id BETWEEN " + (i * 101 % ROWS) + " AND " + (i * 101 % ROWS + 20));
                    s.execute("DELETE FROM big WHERE id = " + (2 + i * 53 % ROWS));
                    rounds.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                gateClosed.countDown();
            }
        }

        private static void awaitALoginAtTheGate(Statement s) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND objid = " + GATE + " AND NOT granted")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no copying connection came to the login gate in 60 s");
                }
                Thread.sleep(20);
            }
        }

        /** Waits until the writer finished {@code n} rounds (or failed). */
        void awaitRounds(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rounds.get() < n && failure.get() == null) {
                assertTrue(System.nanoTime() < deadline, "the writer did " + rounds.get() + " rounds in 60 s");
                Thread.sleep(10);
            }
        }

        void finish() throws InterruptedException {
            writing.set(false);
            join();
        }
    }
}
