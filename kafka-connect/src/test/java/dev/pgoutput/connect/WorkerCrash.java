package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash that {@link WorkerCrashIT} and {@link ExactlyOnceCrashIT} put a worker through: a Connect worker in a
 * JVM of its own ({@link WorkerJvm}) streams a workload of interleaved transactions; once the slot was confirmed
 * and the first rows of the workload's second quarter reached Kafka, the brokers stop under the rest of that
 * quarter in flight, and after the reader's status updates had time to tell the server what the task
 * acknowledged, the worker is killed with SIGKILL (no final flush, no {@code stop()}, its producer's batches
 * lost). The brokers come back, the last quarter is written while no worker runs, and a second worker of the same
 * Connect cluster takes the connector over.
 *
 * <p>What it gives back is read by a {@code read_committed} consumer (the same as any consumer for a worker
 * without exactly-once, which writes no transactions), and the transactions' ends come from a reference slot, not
 * from the connector under test.
 *
 * @param before    the rows Kafka had committed when the worker was killed
 * @param all       every record after the new worker streamed every row (or the deadline passed)
 * @param confirmed the slot's {@code confirmed_flush_lsn} once the killed worker's connection was gone
 * @param txs       the workload's transactions as the reference slot shows them
 */
record WorkerCrash(Set<Integer> before, List<CapturedRecord> all, long confirmed,
        List<TestDatabase.ReferenceTransaction> txs) {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerCrash.class);

    /** Rows of the workload. */
    static final int ROWS = 400;

    /** Longer than the reader's status interval (10 s), so that the server learns what the task acknowledged. */
    private static final Duration STATUS_WINDOW = Duration.ofSeconds(15);

    /** How long the second worker may take to take the connector over and stream the rest: only a deadline. */
    private static final Duration TAKEOVER_DEADLINE = Duration.ofSeconds(120);

    /**
     * Runs the crash on workers with {@code workerConfig} (on top of {@link WorkerJvm#properties}) for a connector
     * with {@code connectorConfig} on top of the plain configuration.
     */
    static WorkerCrash run(ConnectCluster connect, TestDatabase db, Map<String, String> workerConfig,
            Map<String, String> connectorConfig) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY, v int)");
        db.createPublication("public.items");
        String prefix = TestDatabase.unique("cr");
        String connector = "crash-" + prefix;
        String slot = db.newSlot();
        String topic = prefix + ".public.items";
        Map<String, String> config = PgOutputConnectorIT.ourConfig(db, slot, prefix);
        config.put("snapshot.mode", "no_data");
        config.putAll(connectorConfig);
        // A reader on a slot of its own tells afterwards where each transaction of the workload ends.
        String reference = db.referenceSlot();
        Path dir = Path.of("target", "worker-crash", prefix);
        Path props = WorkerJvm.properties(dir, connect, "crash-" + prefix, workerConfig);
        try (WorkerJvm first = WorkerJvm.start(props, dir.resolve("worker-1.log"))) {
            first.putConnector(connector, config);
            db.awaitSlot(slot);
            long created = confirmedFlush(db, slot);
            OffsetTakeoverIT.workload(db, 1, ROWS / 2);
            connect.consume(1, topic);
            // The slot has confirmed something before the crash, so that the check is not empty.
            long deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
            while (confirmedFlush(db, slot) == created) {
                assertTrue(System.nanoTime() < deadline, "the slot was never confirmed");
                Thread.sleep(100);
            }
            CompletableFuture<Void> quarter = CompletableFuture.runAsync(() -> {
                try {
                    OffsetTakeoverIT.workload(db, ROWS / 2 + 1, ROWS * 3 / 4);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Killed while the quarter streams: its first row in Kafka says it does.
            deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
            while (OffsetTakeoverIT.ids(readAll(connect, topic)).stream().noneMatch(id -> id > ROWS / 2)) {
                assertTrue(System.nanoTime() < deadline, "the second quarter never reached Kafka");
                Thread.sleep(20);
            }
            // Kafka goes away under the records in flight, long enough for the reader's status updates (every
            // 10 s) to tell the server whatever the task acknowledged: a task that acknowledged records Kafka does
            // not have would move the slot past them now.
            connect.kafka().stopOnlyBrokers();
            quarter.join();
            Thread.sleep(STATUS_WINDOW.toMillis());
            first.kill();
        }
        // The operating system closed the killed worker's replication connection.
        db.awaitSlotInactive(slot);
        long confirmed = confirmedFlush(db, slot);
        connect.kafka().restartOnlyBrokers();
        Set<Integer> before = new HashSet<>(OffsetTakeoverIT.ids(readAll(connect, topic)));
        OffsetTakeoverIT.workload(db, ROWS * 3 / 4 + 1, ROWS);

        // Written again: the restarted broker's address.
        props = WorkerJvm.properties(dir, connect, "crash-" + prefix, workerConfig);
        try (WorkerJvm second = WorkerJvm.start(props, dir.resolve("worker-2.log"))) {
            List<CapturedRecord> all = readAll(connect, topic);
            long deadline = System.nanoTime() + TAKEOVER_DEADLINE.toNanos();
            while (OffsetTakeoverIT.ids(all).stream().distinct().count() < ROWS && System.nanoTime() < deadline) {
                Thread.sleep(200);
                all = readAll(connect, topic);
            }
            LOG.info("After SIGKILL: {} records for {} rows ({} repeated), Kafka had {} rows before, the slot was at {}",
                    all.size(), ROWS, all.size() - ROWS, before.size(), confirmed);
            second.deleteConnector(connector);
            db.awaitSlotInactive(slot);
            return new WorkerCrash(before, all, confirmed, db.referenceTransactions(reference, ROWS));
        }
    }

    /** Every row arrived. */
    void assertNothingLost() {
        List<Integer> got = OffsetTakeoverIT.ids(all);
        List<Integer> missing = new ArrayList<>();
        for (int id = 1; id <= ROWS; id++) {
            if (!got.contains(id)) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing, "lost; Kafka had " + before.size() + " rows before, slot at " + confirmed
                + ", now " + got.size() + " records; the rows Kafka had: " + new TreeSet<>(before));
        assertEquals(ROWS, got.stream().distinct().count());
    }

    /**
     * The slot had confirmed only transactions whose rows were all in Kafka, it had confirmed some, and some rows
     * were in flight, so that the check meant something.
     */
    void assertSlotCoveredOnlyWhatKafkaHad() {
        int checked = 0;
        for (TestDatabase.ReferenceTransaction tx : txs) {
            if (tx.endLsn() <= confirmed) {
                checked++;
                assertTrue(before.containsAll(tx.ids()), "the slot at " + confirmed + " covers rows " + tx.ids()
                        + " (transaction " + tx.xid() + ", ending at " + tx.endLsn() + ") that Kafka did not have");
            }
        }
        assertTrue(checked > 0, "the slot never moved: nothing was checked");
        assertTrue(before.size() < ROWS, "rows were still to come when the worker was killed: " + before.size());
    }

    private static List<CapturedRecord> readAll(ConnectCluster connect, String topic) {
        return CapturedRecord.decodeAll(KafkaTransactionLog.readCommitted(connect, topic));
    }

    private static long confirmedFlush(TestDatabase db, String slot) throws Exception {
        try (var c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
