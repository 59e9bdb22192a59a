package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Debezium's PostgreSQL connector 3.6.1.Final, the reference our connector is to match, runs in the test cluster
 * on a slot of its own ({@code plugin.name=pgoutput}) and writes what docs/KAFKA-CONNECT.md says: topic, key
 * STRUCT, envelope v2 with its fields in order, the source struct, tombstone after delete, the four context
 * headers. If this fails, the reference (or the test cluster) is not what the differential tests assume.
 */
class DebeziumReferenceIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    static final String CONTEXT = "__debezium.context.";

    /** Debezium's connector on {@code slot}, streaming only (no initial snapshot), the publication given. */
    static Map<String, String> debeziumConfig(TestDatabase db, String slot, String prefix) {
        Map<String, String> config = db.connectorConfig(slot, prefix);
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("plugin.name", "pgoutput");
        config.put("publication.autocreate.mode", "disabled");
        config.put("snapshot.mode", "no_data");
        return config;
    }

    @Test
    void insertUpdateDeleteAsDebeziumWritesThem() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "dbz_ref")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int)");
            db.createPublication("public.items");
            String prefix = TestDatabase.unique("dbz");
            String connector = "debezium-" + prefix;
            String slot = db.newSlot();
            CONNECT.startConnector(connector, debeziumConfig(db, slot, prefix));
            try {
                db.awaitSlot(slot);
                db.execute("INSERT INTO items VALUES (1, 'apple', 3)",
                        "UPDATE items SET qty = 4 WHERE id = 1",
                        "DELETE FROM items WHERE id = 1");
                String topic = prefix + ".public.items";
                List<CapturedRecord> records = CONNECT.consume(4, topic);
                assertEquals(4, records.size(), "insert, update, delete, tombstone: " + records);

                for (CapturedRecord r : records) {
                    assertEquals(topic, r.topic());
                    assertKey(prefix, r);
                    assertContextHeaders(prefix, r);
                }
                CapturedRecord create = records.get(0);
                CapturedRecord update = records.get(1);
                CapturedRecord delete = records.get(2);
                CapturedRecord tombstone = records.get(3);

                assertEnvelope(prefix, db.name, create, "c");
                assertNull(create.valueStruct().get("before"));
                assertEquals("apple", create.valueStruct().getStruct("after").get("name"));
                assertEquals(3, create.valueStruct().getStruct("after").get("qty"));

                // The first event before any commit was seen: the sequence's first element is null.
                assertEquals("[null,\"" + create.valueStruct().getStruct("source").get("lsn") + "\"]",
                        create.valueStruct().getStruct("source").get("sequence"));

                assertEnvelope(prefix, db.name, update, "u");
                assertNull(update.valueStruct().get("before"), "REPLICA IDENTITY DEFAULT: no old row");
                assertEquals(4, update.valueStruct().getStruct("after").get("qty"));

                assertEnvelope(prefix, db.name, delete, "d");
                assertNull(delete.valueStruct().get("after"));
                // Under REPLICA IDENTITY DEFAULT the old row holds the key only; Debezium fills a NOT NULL column
                // without a default with its type's empty value (a required field cannot be null).
                Struct before = delete.valueStruct().getStruct("before");
                assertEquals(1, before.get("id"));
                assertEquals("", before.get("name"));
                assertNull(before.get("qty"));

                assertTrue(tombstone.isTombstone(), "a tombstone follows the delete: " + tombstone);
                assertNull(tombstone.value().schema());
                assertEquals(delete.key(), tombstone.key(), "the tombstone has the delete's key and key schema");
                assertEquals(delete.headerNames(), tombstone.headerNames(), "the tombstone copies the delete's headers");
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    private static void assertKey(String prefix, CapturedRecord r) {
        Schema key = r.key().schema();
        assertNotNull(key, "key schema of " + r);
        assertEquals(Schema.Type.STRUCT, key.type());
        assertEquals(prefix + ".public.items.Key", key.name());
        assertFalse(key.isOptional(), "the key schema is required");
        assertEquals(List.of("id"), key.fields().stream().map(Field::name).toList());
        assertEquals(Schema.INT32_SCHEMA, key.field("id").schema());
        assertEquals(1, r.keyStruct().get("id"));
    }

    private static void assertContextHeaders(String prefix, CapturedRecord r) {
        assertEquals(List.of(CONTEXT + "connectorLogicalName", CONTEXT + "taskId", CONTEXT + "connectorName",
                CONTEXT + "runId"), r.headerNames(), "context headers of " + r + ", in this order");
        assertEquals(prefix, r.header(CONTEXT + "connectorLogicalName"));
        assertEquals("postgresql", r.header(CONTEXT + "connectorName"));
        // Written as the string "0"; SimpleHeaderConverter reads it back as an INT8.
        assertEquals("0", new String(r.raw().headers().lastHeader(CONTEXT + "taskId").value(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(r.header(CONTEXT + "runId").isEmpty());
    }

    private static void assertEnvelope(String prefix, String database, CapturedRecord r, String op) {
        Schema envelope = r.value().schema();
        assertEquals(prefix + ".public.items.Envelope", envelope.name());
        assertEquals(2, envelope.version());
        assertEquals(List.of("before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"),
                names(envelope));
        assertEquals(prefix + ".public.items.Value", envelope.field("after").schema().name());
        assertTrue(envelope.field("after").schema().isOptional());
        assertEquals(List.of("id", "name", "qty"), names(envelope.field("after").schema()));
        assertFalse(envelope.field("after").schema().field("id").schema().isOptional(), "id is NOT NULL");
        assertFalse(envelope.field("after").schema().field("name").schema().isOptional(), "name is NOT NULL");
        assertTrue(envelope.field("after").schema().field("qty").schema().isOptional(), "qty may be null");
        assertEquals("event.block", envelope.field("transaction").schema().name());

        Schema source = envelope.field("source").schema();
        assertEquals("io.debezium.connector.postgresql.Source", source.name());
        assertEquals(List.of("version", "connector", "name", "ts_ms", "snapshot", "db", "sequence", "ts_us", "ts_ns",
                "schema", "table", "txId", "lsn", "xmin", "origin", "origin_lsn"), names(source));
        assertEquals("io.debezium.data.Enum", source.field("snapshot").schema().name());

        Struct value = r.valueStruct();
        assertEquals(op, value.get("op"));
        assertNull(value.get("transaction"), "transaction metadata is off by default");
        Struct src = value.getStruct("source");
        assertEquals("postgresql", src.get("connector"));
        assertEquals(prefix, src.get("name"));
        assertEquals(database, src.get("db"));
        assertEquals("public", src.get("schema"));
        assertEquals("items", src.get("table"));
        assertEquals("false", src.get("snapshot"));
        assertNotNull(src.get("lsn"));
        assertNotNull(src.get("txId"));
    }

    private static List<String> names(Schema struct) {
        return struct.fields().stream().map(Field::name).toList();
    }
}
