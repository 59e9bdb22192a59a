package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.Statement;
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
 * The crash that {@link WorkerCrashIT} and {@link ExactlyOnceCrashIT} put a worker through, on a cluster of the
 * test class's own: half of a workload of interleaved transactions is streamed and the slot confirmed once, then
 * the other half is written while Kafka's brokers are stopped under the records in flight and the worker is
 * removed without its final offset flush (its producer cannot deliver, its flush times out): the closest to a
 * killed worker that the in-JVM cluster allows without a child JVM. The brokers come back, a new worker takes the
 * connector over and streams the rest.
 *
 * <p>What it gives back is read by a {@code read_committed} consumer (the same as any consumer without
 * exactly-once, which writes no transactions), and the transactions' ends come from a reference slot, not from
 * the connector under test.
 *
 * @param before    the rows Kafka had committed when the worker went away
 * @param all       every record after the new worker streamed every row (or the deadline passed)
 * @param confirmed the slot's {@code confirmed_flush_lsn} once the old worker had let it go
 * @param txs       the workload's transactions as the reference slot shows them
 */
record WorkerCrash(Set<Integer> before, List<CapturedRecord> all, long confirmed,
        List<TestDatabase.ReferenceTransaction> txs) {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerCrash.class);

    /** Rows of the workload: enough to keep records in flight when the brokers stop. */
    static final int ROWS = 400;

    /** Runs the crash for a connector with {@code extraConfig} on top of the plain configuration. */
    static WorkerCrash run(ConnectCluster connect, TestDatabase db, Map<String, String> extraConfig) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY, v int)");
        db.createPublication("public.items");
        String prefix = TestDatabase.unique("cr");
        String connector = "crash-" + prefix;
        String slot = db.newSlot();
        String topic = prefix + ".public.items";
        Map<String, String> config = PgOutputConnectorIT.ourConfig(db, slot, prefix);
        config.put("snapshot.mode", "no_data");
        config.putAll(extraConfig);
        // A reader on a slot of its own tells afterwards where each transaction of the workload ends.
        String reference = db.referenceSlot();
        connect.startConnector(connector, config);
        try {
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
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
                try {
                    OffsetTakeoverIT.workload(db, ROWS / 2 + 1, ROWS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            connect.kafka().stopOnlyBrokers();
            connect.cluster().removeWorker();
            rest.join();
            db.awaitSlotInactive(slot);
            long confirmed = confirmedFlush(db, slot);
            connect.kafka().restartOnlyBrokers();
            // What Kafka had when the worker went away (nothing has written since).
            Set<Integer> before = new HashSet<>(OffsetTakeoverIT.ids(readAll(connect, topic)));

            connect.cluster().addWorker();
            connect.cluster().assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "not back");
            List<CapturedRecord> all = readAll(connect, topic);
            deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
            while (OffsetTakeoverIT.ids(all).stream().distinct().count() < ROWS && System.nanoTime() < deadline) {
                Thread.sleep(200);
                all = readAll(connect, topic);
            }
            LOG.info("After the crash: {} records for {} rows ({} repeated), Kafka had {} rows before; stored offset {},"
                    + " slot at {} then, {} now", all.size(), ROWS, all.size() - ROWS, before.size(),
                    connect.cluster().connectorOffsets(connector).offsets(), confirmed, confirmedFlush(db, slot));
            return new WorkerCrash(before, all, confirmed, db.referenceTransactions(reference, ROWS));
        } finally {
            connect.deleteConnector(connector);
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
        assertTrue(before.size() < ROWS, "records were in flight when Kafka went away: " + before.size());
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
