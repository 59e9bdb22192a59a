package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgoutput.testkit.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our connector in the test cluster, beside Debezium's: its (placeholder) records arrive on Debezium's topic names,
 * carry the event as Debezium JSON, its source offsets are stored under {@code {"server": <prefix>}} with Debezium's keys, and stopping
 * it lets go of the slot.
 */
class PgOutputConnectorIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

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
                List<CapturedRecord> records = CONNECT.consume(3, topic);
                assertEquals(3, records.size(), "insert, update, delete (no tombstone yet): " + records);

                long lastLsn = 0;
                for (CapturedRecord r : records) {
                    assertEquals(topic, r.topic());
                    assertNull(r.key().value(), "placeholder: no key yet");
                    assertEquals(Schema.Type.STRING, r.value().schema().type(), "placeholder: the value is a STRING");
                    JsonNode event = JSON.readTree((String) r.value().value());
                    assertEquals(prefix, event.at("/source/name").asText());
                    assertEquals(db.name, event.at("/source/db").asText());
                    assertEquals("items", event.at("/source/table").asText());
                    long lsn = event.at("/source/lsn").asLong();
                    assertTrue(lsn > lastLsn, "LSNs increase: " + records);
                    lastLsn = lsn;
                }
                assertEquals(List.of("c", "u", "d"), records.stream()
                        .map(r -> jsonOf(r).get("op").asText()).toList());
                assertEquals("apple", jsonOf(records.get(0)).at("/after/name").asText());
                assertEquals(4, jsonOf(records.get(1)).at("/after/qty").asInt());
                assertTrue(jsonOf(records.get(2)).get("after").isNull());

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
                        r -> r.value().schema().type() == Schema.Type.STRING,
                        Collectors.mapping(CapturedRecord::topic, Collectors.toSet())));
                assertEquals(Set.of(items, orders), topicsByWriter.get(false), "Debezium's topics");
                assertEquals(topicsByWriter.get(false), topicsByWriter.get(true), "our topics are Debezium's");
            } finally {
                CONNECT.deleteConnector(ours);
                CONNECT.deleteConnector(debezium);
            }
        }
    }

    private static JsonNode jsonOf(CapturedRecord r) {
        try {
            return JSON.readTree((String) r.value().value());
        } catch (java.io.IOException e) {
            throw new AssertionError("value of " + r + " is not JSON", e);
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
