package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka goes away while records are in flight and the worker is taken down without a final offset flush (its
 * producer cannot deliver, its flush times out): the closest to a killed worker that the in-JVM cluster allows
 * without a child JVM. Afterwards the slot's {@code confirmed_flush_lsn} covers only transactions whose records
 * reached Kafka, and a new worker delivers every change.
 */
class WorkerCrashIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    /** A cluster of its own: the test stops its brokers and removes its worker. */
    @RegisterExtension
    static final ConnectCluster CONNECT = ConnectCluster.ownCluster("pgoutput-crash", Map.of());

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkerCrashIT.class);

    private static final int ROWS = 400;

    @Test
    void nothingIsLostAndTheSlotCoversOnlyWhatKafkaHad() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "crash")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, v int)");
            db.createPublication("public.items");
            String prefix = TestDatabase.unique("cr");
            String connector = "crash-" + prefix;
            String slot = db.newSlot();
            String topic = prefix + ".public.items";
            Map<String, String> config = PgOutputConnectorIT.ourConfig(db, slot, prefix);
            config.put("snapshot.mode", "no_data");
            // A reader on a slot of its own tells afterwards where each transaction of the workload ends.
            String reference = db.referenceSlot();
            CONNECT.startConnector(connector, config);
            try {
                db.awaitSlot(slot);
                long created = confirmedFlush(db, slot);
                OffsetTakeoverIT.workload(db, 1, ROWS / 2);
                CONNECT.consume(1, topic);
                // The slot has confirmed something before the crash, so that the check below is not empty.
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
                CONNECT.kafka().stopOnlyBrokers();
                CONNECT.cluster().removeWorker();
                rest.join();
                db.awaitSlotInactive(slot);
                long confirmed = confirmedFlush(db, slot);
                CONNECT.kafka().restartOnlyBrokers();
                // What Kafka had when the worker went away (nothing has written since).
                Set<Integer> before = new HashSet<>(OffsetTakeoverIT.ids(readAll(topic)));

                CONNECT.cluster().addWorker();
                CONNECT.cluster().assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "not back");
                List<CapturedRecord> all = readAll(topic);
                deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
                while (OffsetTakeoverIT.ids(all).stream().distinct().count() < ROWS && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    all = readAll(topic);
                }
                LOG.info("After the crash: {} records for {} rows ({} repeated), Kafka had {} rows before",
                        all.size(), ROWS, all.size() - ROWS, before.size());
                List<Integer> got = OffsetTakeoverIT.ids(all);
                List<Integer> missing = new java.util.ArrayList<>();
                for (int id = 1; id <= ROWS; id++) {
                    if (!got.contains(id)) {
                        missing.add(id);
                    }
                }
                assertEquals(List.of(), missing, "lost; Kafka had " + before.size() + " rows before, slot at "
                        + confirmed + ", now " + got.size() + " records, stored offset "
                        + CONNECT.cluster().connectorOffsets(connector).offsets() + ", slot now " + confirmedFlush(db, slot)
                        + "; the rows Kafka had: " + new java.util.TreeSet<>(before));
                // Every transaction that ends at or before the slot's position had all its rows in Kafka before.
                int checked = 0;
                for (TestDatabase.ReferenceTransaction tx : db.referenceTransactions(reference, ROWS)) {
                    if (tx.endLsn() <= confirmed) {
                        checked++;
                        assertTrue(before.containsAll(tx.ids()), "the slot at " + confirmed + " covers rows "
                                + tx.ids() + " (transaction " + tx.xid() + ", ending at " + tx.endLsn()
                                + ") that Kafka did not have");
                    }
                }
                assertTrue(checked > 0, "the slot never moved: nothing was checked");
                assertTrue(before.size() < ROWS, "records were in flight when Kafka went away: " + before.size());
                assertEquals(ROWS, OffsetTakeoverIT.ids(all).stream().distinct().count());
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    /** Everything in the topic up to its end offsets (ConnectCluster.consume stops at a count). */
    private static List<CapturedRecord> readAll(String topic) throws Exception {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> raw = new java.util.ArrayList<>();
        CONNECT.kafka().consumeAll(ConnectCluster.CONSUME_DEADLINE.toMillis(), topic).forEach(raw::add);
        return CapturedRecord.decodeAll(raw);
    }

    private static long confirmedFlush(TestDatabase db, String slot) throws Exception {
        try (var c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
