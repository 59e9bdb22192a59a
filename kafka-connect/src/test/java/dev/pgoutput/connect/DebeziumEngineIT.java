package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debezium's embedded engine ({@code io.debezium:debezium-embedded}, the runtime of Debezium Server) runs our
 * connector by its class name, with a file offset store as Debezium Server keeps one: the change records arrive
 * (topics, keys, envelopes, the tombstone), and the engine's acknowledgements and offset flushes move the slot
 * past the last record, so the connector's acknowledgement works outside a Connect worker too.
 */
class DebeziumEngineIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @Test
    void theEmbeddedEngineRunsOurConnector(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "engine")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            db.createPublication("public.items");
            String prefix = TestDatabase.unique("en");
            String slot = db.newSlot();
            Properties props = new Properties();
            props.putAll(PgOutputConnectorIT.ourConfig(db, slot, prefix));
            props.put("name", "engine-" + prefix);
            props.put("snapshot.mode", "no_data");
            // By name: the tests compile inside the module, which sees org.apache.kafka.connect.storage in
            // connect-api only, not connect-runtime's classes of the same package.
            props.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
            props.put("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
            props.put("offset.flush.interval.ms", "500");
            BlockingQueue<SourceRecord> received = new LinkedBlockingQueue<>();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
                         DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                                 .using(props)
                                 .notifying(event -> received.add(event.record()))
                                 .build()) {
                executor.execute(engine);
                db.awaitSlot(slot);
                db.execute("INSERT INTO items VALUES (1, 'apple'), (2, 'pear')",
                        "UPDATE items SET name = 'green apple' WHERE id = 1", "DELETE FROM items WHERE id = 2");
                List<SourceRecord> records = take(received, 5);
                String topic = prefix + ".public.items";
                assertTrue(records.stream().allMatch(r -> r.topic().equals(topic)), records.toString());
                assertEquals(List.of("c:1", "c:2", "u:1", "d:2"), records.subList(0, 4).stream()
                        .map(r -> ((Struct) r.value()).getString("op") + ":" + ((Struct) r.key()).getInt32("id"))
                        .toList());
                assertEquals("green apple", ((Struct) records.get(2).value()).getStruct("after").getString("name"));
                assertNull(records.get(4).value(), "the delete's tombstone");
                assertEquals(2, ((Struct) records.get(4).key()).getInt32("id"));

                long last = ((Struct) records.get(3).value()).getStruct("source").getInt64("lsn");
                long deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
                long confirmed;
                while ((confirmed = confirmedFlush(db, slot)) <= last) {
                    assertTrue(System.nanoTime() < deadline, "the slot stayed at " + confirmed
                            + ", before the last record " + last + ": the engine's acknowledgements did not reach it");
                    Thread.sleep(100);
                }
            } finally {
                executor.shutdown();
                assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS), "the engine did not stop");
            }
        }
    }

    private static List<SourceRecord> take(BlockingQueue<SourceRecord> queue, int count) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
        while (records.size() < count) {
            SourceRecord r = queue.poll(200, TimeUnit.MILLISECONDS);
            if (r != null) {
                records.add(r);
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " records from the engine, got " + records);
            }
        }
        return records;
    }

    private static long confirmedFlush(TestDatabase db, String slot) throws Exception {
        try (var c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
