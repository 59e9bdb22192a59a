package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our connector in the test cluster, beside Debezium's: its records arrive on Debezium's topic names with a key
 * STRUCT and the envelope (DifferentialIT compares them with Debezium's field by field), its source offsets are
 * stored under {@code {"server": <prefix>}} with Debezium's keys, and stopping it lets go of the slot.
 */
class PgOutputConnectorIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    /** How long the worker may take to flush offsets (every second here) before the test fails. */
    private static final Duration OFFSET_FLUSH_DEADLINE = Duration.ofSeconds(30);

    static Map<String, String> ourConfig(TestDatabase db, String slot, String prefix) {
        Map<String, String> config = db.connectorConfig(slot, prefix);
        config.put("connector.class", PgOutputSourceConnector.class.getName());
        return config;
    }

    @Test
    void changesArriveOnDebeziumTopicNamesWithTheirLsnAsOffset() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "pgo_conn")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int)");
            db.createPublication("public.items");
            String prefix = TestDatabase.unique("pgo");
            String connector = "pgoutput-" + prefix;
            String slot = db.newSlot();
            CONNECT.startConnector(connector, ourConfig(db, slot, prefix));
            try {
                db.awaitSlot(slot);
                db.execute("INSERT INTO items VALUES (1, 'apple', 3)",
                        "UPDATE items SET qty = 4 WHERE id = 1",
                        "DELETE FROM items WHERE id = 1");
                String topic = prefix + ".public.items";
                List<CapturedRecord> records = CONNECT.consume(4, topic);
                assertEquals(4, records.size(), "insert, update, delete, tombstone: " + records);

                long lastLsn = 0;
                for (CapturedRecord r : records.subList(0, 3)) {
                    assertEquals(topic, r.topic());
                    assertEquals(1, r.keyStruct().get("id"), "the key STRUCT of " + r);
                    assertEquals(prefix + ".public.items.Envelope", r.value().schema().name());
                    Struct source = r.valueStruct().getStruct("source");
                    assertEquals(prefix, source.get("name"));
                    assertEquals(db.name, source.get("db"));
                    assertEquals("items", source.get("table"));
                    long lsn = (Long) source.get("lsn");
                    assertTrue(lsn > lastLsn, "LSNs increase: " + records);
                    lastLsn = lsn;
                }
                assertEquals(List.of("c", "u", "d"), records.subList(0, 3).stream()
                        .map(r -> r.valueStruct().get("op")).toList());
                assertEquals("apple", records.get(0).valueStruct().getStruct("after").get("name"));
                assertEquals(4, records.get(1).valueStruct().getStruct("after").get("qty"));
                assertNull(records.get(2).valueStruct().get("after"));
                assertTrue(records.get(3).isTombstone(), "a tombstone follows the delete");

                assertStoredOffset(connector, prefix, lastLsn);

                // Stopping the connector stops its task, which closes the replication connection.
                CONNECT.stopConnector(connector);
                db.awaitSlotInactive(slot);
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    @Test
    void sameTopicsAsDebeziumForTheSamePrefix() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "pgo_dbz")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int)",
                    "CREATE TABLE orders (id bigint PRIMARY KEY, item int)");
            db.createPublication("public.items, public.orders");
            // One prefix for both: each connector runs on its own slot over the same WAL.
            String prefix = TestDatabase.unique("both");
            String debezium = "debezium-" + prefix;
            String ours = "pgoutput-" + prefix;
            String debeziumSlot = db.newSlot();
            String ourSlot = db.newSlot();
            CONNECT.startConnector(debezium, DebeziumReferenceIT.debeziumConfig(db, debeziumSlot, prefix));
            CONNECT.startConnector(ours, ourConfig(db, ourSlot, prefix));
            try {
                db.awaitSlot(debeziumSlot);
                db.awaitSlot(ourSlot);
                db.execute("INSERT INTO items VALUES (1, 'apple', 3)", "INSERT INTO orders VALUES (10, 1)");
                String items = prefix + ".public.items";
                String orders = prefix + ".public.orders";
                // Two changes, each written by both connectors.
                List<CapturedRecord> records = CONNECT.consume(4, items, orders);
                assertEquals(4, records.size(), records.toString());

                Map<Boolean, Set<String>> topicsByWriter = records.stream().collect(Collectors.partitioningBy(
                        r -> !String.valueOf(r.valueStruct().getStruct("source").get("version")).endsWith(".Final"),
                        Collectors.mapping(CapturedRecord::topic, Collectors.toSet())));
                assertEquals(Set.of(items, orders), topicsByWriter.get(false), "Debezium's topics");
                assertEquals(topicsByWriter.get(false), topicsByWriter.get(true), "our topics are Debezium's");
            } finally {
                CONNECT.deleteConnector(ours);
                CONNECT.deleteConnector(debezium);
            }
        }
    }

    /** Waits until the worker has stored the connector's offset under {@code {"server": prefix}} at {@code lsn}. */
    private static void assertStoredOffset(String connector, String prefix, long lsn) throws InterruptedException {
        long deadline = System.nanoTime() + OFFSET_FLUSH_DEADLINE.toNanos();
        List<ConnectorOffset> offsets = List.of();
        while (System.nanoTime() < deadline) {
            ConnectorOffsets stored = CONNECT.cluster().connectorOffsets(connector);
            offsets = stored.offsets();
            if (offsets.size() == 1 && offsets.get(0).offset().get("lsn") instanceof Number n && n.longValue() == lsn) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals(1, offsets.size(), "one source partition: " + offsets);
        assertEquals(Map.of("server", prefix), offsets.get(0).partition());
        assertEquals(Set.of("lsn", "lsn_proc", "lsn_commit", "txId", "ts_usec", "messageType"),
                offsets.get(0).offset().keySet(), "Debezium's offset keys");
        assertEquals(lsn, ((Number) offsets.get(0).offset().get("lsn")).longValue(), "the last record's LSN");
    }
}
