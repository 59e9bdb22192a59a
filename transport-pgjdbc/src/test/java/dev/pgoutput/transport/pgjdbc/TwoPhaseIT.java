package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prepared transactions ({@code twoPhase(true)}, PostgreSQL 15+) deliver their events on COMMIT PREPARED,
 * with the gid in the source block, and nothing on ROLLBACK PREPARED; a reader restarted between PREPARE
 * and COMMIT PREPARED still delivers the transaction; a prepared transaction large enough to be streamed
 * (Stream Prepare) too.
 */
class TwoPhaseIT {

    @RegisterExtension
    static final PostgresExtension STREAMING_TWO_PHASE = SharedServers.streamingTwoPhase();
    @RegisterExtension
    static final PostgresExtension TWO_PHASE = SharedServers.twoPhase();

    @TempDir
    Path spill;

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 16, 17, 18})
    void preparedTransactionsDeliverWhatCommitted(int major) throws Exception {
        Database db = Database.inOwnDatabase(STREAMING_TWO_PHASE.server(major), "twophase" + major);
        try {
            db.execute("CREATE TABLE acct (id int PRIMARY KEY, note text)",
                    "CREATE PUBLICATION " + db.publication + " FOR TABLE acct",
                    "SELECT pg_create_logical_replication_slot('" + db.slot + "', 'pgoutput', false, true)");
            LogicalReplicationReader.Builder builder = db.reader().twoPhase(true).streaming(true)
                    .spillDirectory(spill).spillMemory(16 * 1024).statusInterval(Duration.ofMillis(200))
                    .reconnect(Database.FAST_RETRY);

            try (LogicalReplicationReader reader = builder.build()) {
                // 1. Delivered at COMMIT PREPARED, after a transaction that committed in between.
                db.execute("BEGIN", "INSERT INTO acct VALUES (1, 'p1'), (2, 'p1')", "PREPARE TRANSACTION 'g1'");
                db.execute("INSERT INTO acct VALUES (3, 'plain')");
                ChangeEvent plain = reader.poll(Duration.ofSeconds(30));
                assertEquals("plain", plain.after().get("note"), "nothing of the prepared transaction yet");
                assertNull(plain.source().gid());
                db.execute("COMMIT PREPARED 'g1'");
                List<ChangeEvent> g1 = Database.take(reader, 2);
                assertEquals(List.of(1, 2), ids(g1));
                assertTrue(g1.stream().allMatch(e -> "g1".equals(e.source().gid())), "the gid is in the source block");
                assertTrue(g1.get(0).source().commitLsn() > plain.source().commitLsn(), "in commit order");

                // 2. Rolled back: nothing.
                db.execute("BEGIN", "INSERT INTO acct VALUES (10, 'rolled back')", "PREPARE TRANSACTION 'g2'");
                db.execute("ROLLBACK PREPARED 'g2'");
                db.execute("INSERT INTO acct VALUES (11, 'after rollback')");
                assertEquals("after rollback", reader.poll(Duration.ofSeconds(30)).after().get("note"));

                // 3. Large enough to be streamed before its PREPARE (Stream Prepare), then committed.
                db.execute("BEGIN", "INSERT INTO acct SELECT g, repeat('s', 300) FROM generate_series(1000, 2999) g",
                        "PREPARE TRANSACTION 'g3'");
                db.execute("INSERT INTO acct VALUES (12, 'marker')");
                assertEquals("marker", reader.poll(Duration.ofSeconds(30)).after().get("note"));
                db.execute("COMMIT PREPARED 'g3'");
                List<ChangeEvent> g3 = Database.take(reader, 2000);
                assertEquals(range(1000, 2999), ids(g3));
                assertTrue(g3.stream().allMatch(e -> "g3".equals(e.source().gid())));
                db.awaitStreamedTransactions(1);

                // 4. The connection is lost between PREPARE and COMMIT PREPARED: the reader reconnects,
                //    the server sends the prepared transaction again (the slot stayed before it), once.
                db.execute("BEGIN", "INSERT INTO acct VALUES (13, 'g6'), (14, 'g6')", "PREPARE TRANSACTION 'g6'");
                db.execute("INSERT INTO acct VALUES (15, 'after g6 prepared')");
                assertEquals("after g6 prepared", reader.poll(Duration.ofSeconds(30)).after().get("note"));
                db.terminateWalsender();
                db.execute("COMMIT PREPARED 'g6'");
                List<ChangeEvent> g6 = Database.take(reader, 2);
                assertEquals(List.of(13, 14), ids(g6), "the reader drops what it already delivered (row 15)");
                assertTrue(g6.stream().allMatch(e -> "g6".equals(e.source().gid())));
                Database.assertNoMoreEvents(reader, Duration.ofSeconds(1));

                // 5. Prepared while this reader runs; committed after it stopped.
                db.execute("BEGIN", "INSERT INTO acct VALUES (20, 'g4'), (21, 'g4')", "PREPARE TRANSACTION 'g4'");
                db.execute("INSERT INTO acct VALUES (22, 'after g4 prepared')");
                assertEquals("after g4 prepared", reader.poll(Duration.ofSeconds(30)).after().get("note"));
                reader.poll(Duration.ofMillis(500)); // acknowledges it; status updates go out every 200 ms
            }
            long confirmed = confirmedFlushLsn(db);
            db.execute("COMMIT PREPARED 'g4'");
            db.execute("BEGIN", "INSERT INTO acct VALUES (30, 'g5')", "PREPARE TRANSACTION 'g5'");

            try (LogicalReplicationReader reader = builder.build()) {
                List<ChangeEvent> events = new ArrayList<>();
                ChangeEvent e;
                while (events.stream().noneMatch(x -> "g4".equals(x.source().gid()))
                        || events.stream().filter(x -> "g4".equals(x.source().gid())).count() < 2) {
                    e = reader.poll(Duration.ofSeconds(30));
                    if (e == null) {
                        throw new AssertionError("g4 did not arrive after the restart; got " + events
                                + " (confirmed flush was " + confirmed + ")");
                    }
                    events.add(e);
                }
                List<ChangeEvent> g4 = events.stream().filter(x -> "g4".equals(x.source().gid())).toList();
                assertEquals(List.of(20, 21), ids(g4), "the prepared transaction arrives whole, once");
                // Row 22 committed after g4's PREPARE, so it may come again: at-least-once.
                assertTrue(events.stream().allMatch(x -> x.source().gid() != null || (int) x.after().get("id") == 22),
                        "nothing else comes again: " + events);
                db.execute("ROLLBACK PREPARED 'g5'");
                db.execute("INSERT INTO acct VALUES (31, 'end')");
                assertEquals("end", reader.poll(Duration.ofSeconds(30)).after().get("note"), "g5 delivers nothing");
            }
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    /**
     * A slot created without two-phase: the server turns it on when the reader asks for it. A transaction
     * prepared before that is sent whole at its COMMIT PREPARED; one prepared after it is delivered at its
     * COMMIT PREPARED as usual.
     */
    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 18})
    void aSlotWithoutTwoPhaseGetsItFromTheReader(int major) throws Exception {
        Database db = Database.inOwnDatabase(TWO_PHASE.server(major), "twophaselater" + major);
        try {
            db.execute("CREATE TABLE acct (id int PRIMARY KEY, note text)");
            db.createPublicationAndSlot("acct");
            assertEquals(false, slotTwoPhase(db), "created without two-phase");
            db.execute("BEGIN", "INSERT INTO acct VALUES (0, 'before')", "PREPARE TRANSACTION 'before1'");
            try (LogicalReplicationReader reader = db.reader().twoPhase(true).spillDirectory(spill).build()) {
                assertEquals(true, slotTwoPhase(db), "the server turned two-phase on for the slot");
                // Prepared before two-phase was on: sent whole at its COMMIT PREPARED.
                db.execute("COMMIT PREPARED 'before1'");
                ChangeEvent before = reader.poll(Duration.ofSeconds(30));
                assertEquals(0, before.after().get("id"));
                db.execute("BEGIN", "INSERT INTO acct VALUES (1, 'p')", "PREPARE TRANSACTION 'later1'");
                Database.assertNoMoreEvents(reader, Duration.ofMillis(500));
                db.execute("COMMIT PREPARED 'later1'");
                ChangeEvent e = reader.poll(Duration.ofSeconds(30));
                assertEquals(1, e.after().get("id"));
                assertEquals("later1", e.source().gid());
            }
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    /**
     * The Relation a prepared transaction carried describes its table as it was for that transaction. A
     * publication change meanwhile (allowed while the transaction is prepared) makes the server describe
     * the table anew for the next transaction and not again after it; delivering the prepared transaction
     * at COMMIT PREPARED must not bring the old description back for the transactions after it.
     */
    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17})
    void aPreparedTransactionsSchemaDoesNotOutliveIt(int major) throws Exception {
        Database db = Database.inOwnDatabase(TWO_PHASE.server(major), "twophaseschema" + major);
        try {
            db.execute("CREATE TABLE acct (id int PRIMARY KEY, note text)",
                    "CREATE PUBLICATION " + db.publication + " FOR TABLE acct",
                    "SELECT pg_create_logical_replication_slot('" + db.slot + "', 'pgoutput', false, true)");
            try (LogicalReplicationReader reader = db.reader().twoPhase(true).spillDirectory(spill).build()) {
                db.execute("BEGIN", "INSERT INTO acct VALUES (1, 'prepared')", "PREPARE TRANSACTION 'x'");
                db.execute("ALTER PUBLICATION " + db.publication + " SET TABLE acct (id)");
                db.execute("INSERT INTO acct VALUES (2, 'narrow')");
                ChangeEvent narrow = reader.poll(Duration.ofSeconds(30));
                assertEquals(java.util.Set.of("id"), narrow.after().keySet(), "the new column list");
                db.execute("COMMIT PREPARED 'x'");
                ChangeEvent prepared = reader.poll(Duration.ofSeconds(30));
                assertEquals(java.util.Set.of("id", "note"), prepared.after().keySet(), "as it was for the prepared one");
                db.execute("INSERT INTO acct VALUES (3, 'narrow again')");
                ChangeEvent after = reader.poll(Duration.ofSeconds(30));
                assertEquals(3, after.after().get("id"));
                assertEquals(java.util.Set.of("id"), after.after().keySet(), "the current column list again");
            }
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    private static boolean slotTwoPhase(Database db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT two_phase FROM pg_replication_slots WHERE slot_name = '" + db.slot + "'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long confirmedFlushLsn(Database db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots WHERE slot_name = '"
                     + db.slot + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Integer> ids(List<ChangeEvent> events) {
        return events.stream().map(e -> ((Number) e.after().get("id")).intValue()).toList();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add(i);
        }
        return ids;
    }
}
