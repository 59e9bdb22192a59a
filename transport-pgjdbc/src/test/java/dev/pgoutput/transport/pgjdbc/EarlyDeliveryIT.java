package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.api.TransactionOutcome.Kind;
import dev.pgoutput.testkit.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The opt-in early deliveries: changes of a streamed transaction as they arrive
 * ({@code deliverUncommitted}), prepared transactions at PREPARE ({@code deliverOnPrepare}); in both the
 * outcome follows in order with the events, and applying the outcomes to the events gives exactly what
 * committed.
 */
class EarlyDeliveryIT {

    @RegisterExtension
    static final PostgresExtension STREAMING = SharedServers.streaming();
    @RegisterExtension
    static final PostgresExtension TWO_PHASE = SharedServers.twoPhase();
    @RegisterExtension
    static final PostgresExtension STREAMING_TWO_PHASE = SharedServers.streamingTwoPhase();

    private static final String PAD = "repeat('x', 200)";

    @TempDir
    Path spill;

    /** Events and outcomes in the order the application saw them. */
    private final List<Object> seen = new ArrayList<>();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, 17})
    void streamedChangesComeEarlyAndTheirOutcomeAfterThem(int major) throws Exception {
        Database db = Database.inOwnDatabase(STREAMING.server(major), "early" + major);
        try {
            db.execute("CREATE TABLE t (id int PRIMARY KEY, pad text)");
            db.createPublicationAndSlot("t");
            try (LogicalReplicationReader reader = db.reader().streaming(true).deliverUncommitted(true)
                    .reconnect(Database.FAST_RETRY)
                    .spillDirectory(spill).transactionOutcomes(seen::add).build();
                 Connection a = db.connect(); Statement sa = a.createStatement()) {
                a.setAutoCommit(false);
                sa.execute("INSERT INTO t SELECT g, " + PAD + " FROM generate_series(1, 2000) g");
                // Before the commit, rows arrive marked uncommitted, without commit LSN.
                ChangeEvent first = takeEvent(reader);
                assertNotNull(first.uncommitted(), "delivered before the commit");
                assertEquals(first.source().txId(), first.uncommitted().txId());
                assertEquals(0, first.source().commitLsn());
                sa.execute("SAVEPOINT s1");
                sa.execute("INSERT INTO t SELECT g, " + PAD + " FROM generate_series(2001, 3000) g");
                sa.execute("ROLLBACK TO SAVEPOINT s1");
                sa.execute("INSERT INTO t SELECT g, " + PAD + " FROM generate_series(3001, 3500) g");
                a.commit();
                awaitOutcome(reader, Kind.COMMITTED);

                // Aborted after it was streamed: ABORTED for the whole transaction.
                long streamed = db.streamedTransactions();
                sa.execute("INSERT INTO t SELECT g, " + PAD + " FROM generate_series(5001, 7000) g");
                db.awaitStreamedTransactions(streamed + 1);
                a.rollback();
                awaitOutcome(reader, Kind.ABORTED);
                // Connection lost while a transaction with early events is open: RESTARTED, and the
                // server sends it again from its start after the reconnect.
                streamed = db.streamedTransactions();
                sa.execute("INSERT INTO t SELECT g, " + PAD + " FROM generate_series(10001, 12000) g");
                db.awaitStreamedTransactions(streamed + 1);
                takeEvent(reader);
                db.terminateWalsender();
                awaitOutcome(reader, Kind.RESTARTED);
                sa.execute("INSERT INTO t SELECT g, " + PAD + " FROM generate_series(12001, 12100) g");
                a.commit();
                awaitOutcome(reader, Kind.COMMITTED);
                db.execute("INSERT INTO t VALUES (9000, 'plain')");
                ChangeEvent plain = takeEvent(reader);
                assertNull(plain.uncommitted(), "an ordinary transaction is delivered as usual");
            }
            List<Integer> expected = new ArrayList<>(range(1, 2000));
            expected.addAll(range(3001, 3500));
            expected.addAll(range(10001, 12100));
            expected.add(9000);
            assertEquals(expected, applyOutcomes(), "the outcomes applied to the events: exactly what committed");
            assertTrue(seen.stream().anyMatch(o -> o instanceof TransactionOutcome t && t.kind() == Kind.ABORTED
                    && t.subTxId() != t.txId()), "the rolled-back savepoint came as a subtransaction abort: " + outcomes());
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 18})
    void preparedTransactionsComeAtPrepareAndTheirOutcomeLater(int major) throws Exception {
        Database db = Database.inOwnDatabase(TWO_PHASE.server(major), "onprepare" + major);
        try {
            db.execute("CREATE TABLE t (id int PRIMARY KEY, pad text)",
                    "CREATE PUBLICATION " + db.publication + " FOR TABLE t",
                    "SELECT pg_create_logical_replication_slot('" + db.slot + "', 'pgoutput', false, true)");
            LogicalReplicationReader.Builder builder = db.reader().twoPhase(true).deliverOnPrepare(true)
                    .spillDirectory(spill).transactionOutcomes(seen::add).statusInterval(Duration.ofMillis(200));
            try (LogicalReplicationReader reader = builder.build()) {
                db.execute("BEGIN", "INSERT INTO t VALUES (1, 'g1'), (2, 'g1')", "PREPARE TRANSACTION 'g1'");
                ChangeEvent e = takeEvent(reader);
                assertEquals("g1", e.uncommitted().gid(), "delivered at PREPARE, with the gid");
                assertEquals("g1", e.source().gid());
                takeEvent(reader);
                db.execute("COMMIT PREPARED 'g1'");
                TransactionOutcome committed = awaitOutcome(reader, Kind.COMMITTED);
                assertEquals("g1", committed.gid());
                assertEquals(e.uncommitted().txId(), committed.txId());

                db.execute("BEGIN", "INSERT INTO t VALUES (3, 'g2')", "PREPARE TRANSACTION 'g2'");
                takeEvent(reader);
                db.execute("ROLLBACK PREPARED 'g2'");
                assertEquals("g2", awaitOutcome(reader, Kind.ABORTED).gid());

                db.execute("BEGIN", "INSERT INTO t VALUES (4, 'g3')", "PREPARE TRANSACTION 'g3'");
                takeEvent(reader);
                reader.poll(Duration.ofMillis(600)); // acknowledges it; status updates every 200 ms
            }
            db.execute("COMMIT PREPARED 'g3'");
            try (LogicalReplicationReader reader = builder.build()) {
                // Only the outcome comes: the events were acknowledged before the restart.
                assertEquals("g3", awaitOutcome(reader, Kind.COMMITTED).gid());
            }
            assertEquals(List.of(1, 2, 4), applyOutcomes());
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    /**
     * The slot does not move past an early transaction before the application has its outcome: events
     * acknowledged without the COMMITTED behind them come again to the next reader, outcome included. And
     * within one reader, a transaction the server sends again after a reconnect (the slot had not moved)
     * is not delivered twice.
     */
    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17})
    void outcomesAreAcknowledgedLikeEventsAndResendsAreDropped(int major) throws Exception {
        Database db = Database.inOwnDatabase(STREAMING.server(major), "earlyack" + major);
        try {
            db.execute("CREATE TABLE t (id int PRIMARY KEY, pad text)");
            db.createPublicationAndSlot("t");
            LogicalReplicationReader.Builder builder = db.reader().streaming(true).deliverUncommitted(true)
                    .spillDirectory(spill).transactionOutcomes(seen::add).autoAcknowledge(false)
                    .statusInterval(Duration.ofMillis(200))
                    .reconnect(Database.FAST_RETRY);
            try (LogicalReplicationReader reader = builder.build()) {
                db.execute("INSERT INTO t SELECT g, " + PAD + " FROM generate_series(1, 1000) g");
                for (int i = 0; i < 1000; i++) {
                    takeEvent(reader);
                }
                reader.acknowledge();   // every event delivered so far, but not the outcome behind them
                Thread.sleep(600);      // status updates go out every 200 ms
            }
            assertEquals(List.of(), outcomes(), "the outcome was not taken yet");
            seen.clear();
            try (LogicalReplicationReader reader = builder.build()) {
                TransactionOutcome committed = awaitOutcome(reader, Kind.COMMITTED);
                assertEquals(range(1, 1000), eventIds(), "the transaction came again, whole, with its outcome");
                // Not acknowledged, so after a reconnect the server sends it again: this reader drops it.
                db.terminateWalsender();
                db.execute("INSERT INTO t VALUES (5000, 'after')");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!eventIds().contains(5000)) {
                    assertTrue(System.nanoTime() < deadline, "row 5000 did not come");
                    ChangeEvent e = reader.poll(Duration.ofMillis(200));
                    if (e != null) {
                        seen.add(e);
                    }
                }
                List<Integer> expected = new ArrayList<>(range(1, 1000));
                expected.add(5000);
                assertEquals(expected, eventIds(), "nothing twice within one reader");
                assertEquals(1, outcomes().stream().filter(o -> o.txId() == committed.txId()).count(), outcomes().toString());
            }
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    /**
     * With deliverOnPrepare, a transaction prepared before the reader turned two-phase on for the slot is
     * sent at its COMMIT PREPARED, after transactions with later LSNs: it is still delivered, then its
     * outcome.
     */
    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17})
    void aPrepareFromBeforeTwoPhaseIsDeliveredAtItsCommit(int major) throws Exception {
        Database db = Database.inOwnDatabase(TWO_PHASE.server(major), "earlyprep" + major);
        try {
            db.execute("CREATE TABLE t (id int PRIMARY KEY, pad text)");
            db.createPublicationAndSlot("t");
            // A reader without two-phase moves the slot past the PREPARE (it confirms a later transaction).
            try (LogicalReplicationReader plain = db.reader().statusInterval(Duration.ofMillis(200)).build()) {
                db.execute("BEGIN", "INSERT INTO t VALUES (1, 'before')", "PREPARE TRANSACTION 'before'");
                db.execute("INSERT INTO t VALUES (0, 'plain')");
                assertEquals(0, plain.poll(Duration.ofSeconds(30)).after().get("id"));
                assertNull(plain.poll(Duration.ofMillis(600)), "acknowledges it; nothing else comes");
            }
            try (LogicalReplicationReader reader = db.reader().twoPhase(true).deliverOnPrepare(true)
                    .spillDirectory(spill).transactionOutcomes(seen::add).build()) {
                db.execute("INSERT INTO t VALUES (2, 'plain')");
                assertNull(takeEvent(reader).uncommitted());
                db.execute("COMMIT PREPARED 'before'");
                ChangeEvent e = takeEvent(reader);
                assertEquals(1, e.after().get("id"), "not mistaken for a resend");
                assertEquals("before", e.uncommitted().gid());
                assertEquals("before", awaitOutcome(reader, Kind.COMMITTED).gid());
            }
            assertEquals(List.of(2, 1), applyOutcomes());
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    /**
     * Early streaming and two-phase together: a large prepared transaction's changes come as they are
     * streamed, and its outcome at COMMIT PREPARED or ROLLBACK PREPARED (by default) or, with
     * deliverOnPrepare, the slot moves at PREPARE and the outcome still comes at the end.
     */
    @ParameterizedTest(name = "PostgreSQL 17, deliverOnPrepare {0}")
    @ValueSource(booleans = {false, true})
    void streamedPreparedTransactionsComeEarlyWithTheirOutcomeAtTheEnd(boolean onPrepare) throws Exception {
        Database db = Database.inOwnDatabase(STREAMING_TWO_PHASE.server(17), "earlytwophase");
        try {
            db.execute("CREATE TABLE t (id int PRIMARY KEY, pad text)",
                    "CREATE PUBLICATION " + db.publication + " FOR TABLE t",
                    "SELECT pg_create_logical_replication_slot('" + db.slot + "', 'pgoutput', false, true)");
            try (LogicalReplicationReader reader = db.reader().streaming(true).deliverUncommitted(true)
                    .twoPhase(true).deliverOnPrepare(onPrepare).spillDirectory(spill).transactionOutcomes(seen::add)
                    .build()) {
                db.execute("BEGIN", "INSERT INTO t SELECT g, " + PAD + " FROM generate_series(1, 1000) g",
                        "PREPARE TRANSACTION 'big1'");
                ChangeEvent first = takeEvent(reader);
                assertNotNull(first.uncommitted(), "streamed changes come before the outcome");
                db.execute("COMMIT PREPARED 'big1'");
                TransactionOutcome committed = awaitOutcome(reader, Kind.COMMITTED);
                assertEquals("big1", committed.gid());
                assertEquals(first.uncommitted().txId(), committed.txId());

                db.execute("BEGIN", "INSERT INTO t SELECT g, " + PAD + " FROM generate_series(2001, 3000) g",
                        "PREPARE TRANSACTION 'big2'");
                takeEvent(reader);
                db.execute("ROLLBACK PREPARED 'big2'");
                assertEquals("big2", awaitOutcome(reader, Kind.ABORTED).gid());
                db.execute("INSERT INTO t VALUES (9000, 'plain')");
                while (!eventIds().contains(9000)) {
                    takeEvent(reader);
                }
            }
            List<Integer> expected = new ArrayList<>(range(1, 1000));
            expected.add(9000);
            assertEquals(expected, applyOutcomes());
            assertTrue(db.streamedTransactions() >= 2, "both were streamed");
        } finally {
            db.rollBackPreparedAndDropSlot();
        }
    }

    private List<Integer> eventIds() {
        return seen.stream().filter(ChangeEvent.class::isInstance)
                .map(o -> (Integer) ((ChangeEvent) o).after().get("id")).toList();
    }

    private ChangeEvent takeEvent(LogicalReplicationReader reader) {
        ChangeEvent e = reader.poll(Duration.ofSeconds(30));
        assertNotNull(e, "no event came; seen " + outcomes());
        seen.add(e);
        return e;
    }

    /** Takes events until an outcome of this kind is passed to the listener; returns it. */
    private TransactionOutcome awaitOutcome(LogicalReplicationReader reader, Kind kind) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int from = seen.size();
        while (System.nanoTime() < deadline) {
            for (int i = from; i < seen.size(); i++) {
                if (seen.get(i) instanceof TransactionOutcome o && o.kind() == kind) {
                    return o;
                }
            }
            ChangeEvent e = reader.poll(Duration.ofMillis(100));
            if (e != null) {
                seen.add(e);
            }
        }
        throw new AssertionError("no " + kind + " outcome; seen " + outcomes());
    }

    /**
     * What an application that stages early events and applies outcomes would keep: ids of events whose
     * (sub)transaction was not aborted, once their transaction committed (or at once when not early).
     */
    private List<Integer> applyOutcomes() {
        List<Integer> kept = new ArrayList<>();
        List<ChangeEvent> staged = new ArrayList<>();
        for (Object o : seen) {
            if (o instanceof ChangeEvent e) {
                if (e.uncommitted() == null) {
                    kept.add((Integer) e.after().get("id"));
                } else {
                    staged.add(e);
                }
            } else if (o instanceof TransactionOutcome t) {
                switch (t.kind()) {
                    case COMMITTED -> {
                        staged.stream().filter(e -> e.uncommitted().txId() == t.txId())
                                .forEach(e -> kept.add((Integer) e.after().get("id")));
                        staged.removeIf(e -> e.uncommitted().txId() == t.txId());
                    }
                    case ABORTED -> staged.removeIf(e -> e.uncommitted().txId() == t.txId()
                            && (t.subTxId() == t.txId() || e.uncommitted().subTxId() == t.subTxId()));
                    case RESTARTED -> staged.removeIf(e -> e.uncommitted().txId() == t.txId());
                }
            }
        }
        assertEquals(List.of(), staged.stream().map(e -> e.after().get("id")).toList(), "events left without outcome");
        return kept;
    }

    private List<TransactionOutcome> outcomes() {
        return seen.stream().filter(TransactionOutcome.class::isInstance).map(TransactionOutcome.class::cast).toList();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add(i);
        }
        return ids;
    }
}
