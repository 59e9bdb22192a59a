package dev.pgoutput.json;

import static dev.pgoutput.json.TestEvents.event;
import static dev.pgoutput.json.TestEvents.fieldNames;
import static dev.pgoutput.json.TestEvents.insert;
import static dev.pgoutput.json.TestEvents.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.Source;
import dev.pgoutput.internal.engine.RowLayout;
import dev.pgoutput.types.PgType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope, the source block and the layout (compact and indented). */
class DebeziumJsonTest {

    private static Row smallRow() {
        return new RowBuilder()
                .key("id", PgType.INT4, "1")
                .text("name", PgType.TEXT, "Ana")
                .text("tags", PgType.INT4_ARRAY, "{1,2}")
                .text("empty", PgType.INT4_ARRAY, "{}")
                .sqlNull("note", PgType.TEXT)
                .row();
    }

    @Test
    void compactIsOneLineWithoutSpaces() {
        String expected = "{\"before\":null,"
                + "\"after\":{\"id\":1,\"name\":\"Ana\",\"tags\":[1,2],\"empty\":[],\"note\":null},"
                + "\"source\":{\"version\":\"0.1.0\",\"connector\":\"pgoutput-decoder\",\"name\":\"srv\","
                + "\"ts_ms\":1709280000123,\"snapshot\":\"false\",\"db\":\"shop\",\"schema\":\"public\","
                + "\"table\":\"users\",\"lsn\":23803464,\"txId\":742,"
                + "\"sequence\":\"[\\\"23803416\\\",\\\"23803464\\\"]\",\"xmin\":null},"
                + "\"op\":\"c\",\"ts_ms\":1709280000123,\"ts_us\":1709280000123456,\"ts_ns\":1709280000123456789}";
        assertEquals(expected, DebeziumJson.toJson(insert(smallRow()), 0));
    }

    @Test
    void defaultIsTwoSpaceIndentLikePythonJsonDumps() {
        String expected = """
                {
                  "before": {},
                  "after": {
                    "id": 1,
                    "name": "Ana",
                    "tags": [
                      1,
                      2
                    ],
                    "empty": [],
                    "note": null
                  },
                  "source": {
                    "version": "0.1.0",
                    "connector": "pgoutput-decoder",
                    "name": "srv",
                    "ts_ms": 1709280000123,
                    "snapshot": "false",
                    "db": "shop",
                    "schema": "public",
                    "table": "users",
                    "lsn": 23803464,
                    "txId": 742,
                    "sequence": "[\\"23803416\\",\\"23803464\\"]",
                    "xmin": null
                  },
                  "op": "u",
                  "ts_ms": 1709280000123,
                  "ts_us": 1709280000123456,
                  "ts_ns": 1709280000123456789
                }""";
        ChangeEvent e = event(Op.UPDATE, new LinkedHashMap<>(), smallRow());
        assertEquals(expected, DebeziumJson.toJson(e));
        assertEquals(expected, DebeziumJson.toJson(e, 2));
    }

    @Test
    void otherIndentsNestByThatManySpaces() {
        String json = DebeziumJson.toJson(insert(smallRow()), 4);
        assertTrue(json.startsWith("{\n    \"before\": null,\n    \"after\": {\n        \"id\": 1,\n"), json);
        assertTrue(json.contains("\n        \"tags\": [\n            1,\n            2\n        ],\n"), json);
        assertFalse(json.contains("\r"));
        assertEquals(parse(DebeziumJson.toJson(insert(smallRow()), 0)), parse(json));

        String one = DebeziumJson.toJson(insert(smallRow()), 1);
        assertTrue(one.startsWith("{\n \"before\": null,\n \"after\": {\n  \"id\": 1,\n"), one);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 33, Integer.MAX_VALUE})
    void indentOutOfRangeIsRejected(int indent) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DebeziumJson.toJson(insert(smallRow()), indent));
        assertTrue(e.getMessage().contains(String.valueOf(indent)), e.getMessage());
    }

    @Test
    void envelopeFieldsAreInDebeziumOrder() {
        JsonNode root = parse(DebeziumJson.toJson(insert(smallRow())));
        assertEquals(List.of("before", "after", "source", "op", "ts_ms", "ts_us", "ts_ns"), fieldNames(root));
        assertEquals(List.of("version", "connector", "name", "ts_ms", "snapshot", "db", "schema", "table", "lsn",
                "txId", "sequence", "xmin"), fieldNames(root.get("source")));
        assertEquals(List.of("id", "name", "tags", "empty", "note"), fieldNames(root.get("after")));
    }

    @Test
    void sourceValues() {
        Source s = Source.builder().version("1.2.3").connector("pgoutput-decoder").name("name \"quoted\"").tsMs(5L)
                .snapshot("true").db("db1").lsn(Long.MAX_VALUE).xmin(77L).build();
        JsonNode source = parse(DebeziumJson.toJson(ChangeEvent.builder().op(Op.MESSAGE).source(s).build(), 0))
                .get("source");
        assertEquals("1.2.3", source.get("version").textValue());
        assertEquals("pgoutput-decoder", source.get("connector").textValue());
        assertEquals("name \"quoted\"", source.get("name").textValue());
        assertEquals(5L, source.get("ts_ms").longValue());
        assertEquals("true", source.get("snapshot").textValue());
        assertEquals("db1", source.get("db").textValue());
        // No table (a message's source): Debezium writes empty strings there.
        assertEquals("", source.get("schema").textValue());
        assertEquals("", source.get("table").textValue());
        assertEquals(9223372036854775807L, source.get("lsn").longValue());
        assertTrue(source.get("txId").isNull());
        assertEquals(77L, source.get("xmin").longValue());
        assertTrue(source.get("sequence").isNull());
    }

    @Test
    void messageEventsHaveDebeziumsMessageShape() {
        Source s = Source.builder().version("1.2.3").connector("pgoutput-decoder").name("srv").tsMs(5L)
                .snapshot("false").db("db1").txId(731L).lsn(4096L).sequence("[\"100\",\"4096\"]").commitLsn(4200L)
                .build();
        ChangeEvent event = ChangeEvent.builder().op(Op.MESSAGE).source(s).tsNs(1_000_000_123L)
                .message(new dev.pgoutput.api.Message("outbox", new byte[] {'h', 'i', (byte) 0xff}, true)).build();
        String json = DebeziumJson.toJson(event, 0);
        assertEquals("{\"op\":\"m\",\"ts_ms\":1000,\"ts_us\":1000000,\"ts_ns\":1000000123,"
                + "\"source\":{\"version\":\"1.2.3\",\"connector\":\"pgoutput-decoder\",\"name\":\"srv\",\"ts_ms\":5,"
                + "\"snapshot\":\"false\",\"db\":\"db1\",\"schema\":\"\",\"table\":\"\",\"lsn\":4096,\"txId\":731,"
                + "\"sequence\":\"[\\\"100\\\",\\\"4096\\\"]\",\"xmin\":null},"
                + "\"message\":{\"prefix\":\"outbox\",\"content\":\"aGn/\"}}", json);
        JsonNode hex = parse(DebeziumJson.toJson(event, 0));
        assertEquals("outbox", hex.get("message").get("prefix").textValue());
    }

    @Test
    void originIsWrittenOnlyForChangesFromAReplicationOrigin() {
        Source local = smallSource().build();
        Source applied = smallSource().origin("node_a").build();
        JsonNode plain = parse(DebeziumJson.toJson(ChangeEvent.builder().op(Op.CREATE).source(local).build(), 0))
                .get("source");
        JsonNode fromOrigin = parse(DebeziumJson.toJson(ChangeEvent.builder().op(Op.CREATE).source(applied).build(), 0))
                .get("source");
        assertEquals(null, plain.get("origin"));
        assertEquals("node_a", fromOrigin.get("origin").textValue());
        assertEquals(List.of("version", "connector", "name", "ts_ms", "snapshot", "db", "schema", "table", "lsn",
                "txId", "sequence", "xmin", "origin"), fieldNames(fromOrigin));
    }

    /** A local change's source block with every field set but origin and gid. */
    private static Source.Builder smallSource() {
        return Source.builder().version("v").connector("pgoutput-decoder").name("n").tsMs(1L).snapshot("false").db("db")
                .schema("public").table("t").txId(1L).lsn(2L).sequence("[]").commitLsn(3L);
    }

    @Test
    void gidIsWrittenOnlyForPreparedTransactions() {
        Source prepared = smallSource().gid("order-17").build();
        ChangeEvent event = ChangeEvent.builder().op(Op.CREATE).source(prepared).build();
        JsonNode source = parse(DebeziumJson.toJson(event, 0)).get("source");
        assertEquals("order-17", source.get("gid").textValue());
        assertEquals(List.of("version", "connector", "name", "ts_ms", "snapshot", "db", "schema", "table", "lsn",
                "txId", "sequence", "xmin", "gid"), fieldNames(source));
        assertEquals("order-17", ((java.util.Map<?, ?>) event.toMap().get("source")).get("gid"), "toMap agrees");
    }

    @Test
    void earlyEventsSayTheyAreUncommittedAndOthersDoNot() {
        ChangeEvent early = ChangeEvent.builder().op(Op.CREATE).source(TestEvents.SOURCE)
                .uncommitted(new dev.pgoutput.api.Uncommitted(700L, 701L, null)).build();
        JsonNode root = parse(DebeziumJson.toJson(early, 0));
        assertEquals(700L, root.get("uncommitted").get("txId").longValue());
        assertEquals(701L, root.get("uncommitted").get("subTxId").longValue());
        assertEquals(null, root.get("uncommitted").get("gid"));
        assertEquals("uncommitted", fieldNames(root).get(fieldNames(root).size() - 1), "after Debezium's fields");
        assertEquals(java.util.Map.of("txId", 700L, "subTxId", 701L), early.toMap().get("uncommitted"));
        JsonNode prepared = parse(DebeziumJson.toJson(ChangeEvent.builder().op(Op.MESSAGE).source(TestEvents.SOURCE)
                .message(new dev.pgoutput.api.Message("p", new byte[0], true))
                .uncommitted(new dev.pgoutput.api.Uncommitted(1L, 1L, "g")).build(), 0));
        assertEquals("g", prepared.get("uncommitted").get("gid").textValue(), "message events too");
        assertEquals(null, parse(DebeziumJson.toJson(ChangeEvent.builder().op(Op.CREATE).source(TestEvents.SOURCE)
                .build(), 0)).get("uncommitted"), "committed events have no such field, as in Debezium");
    }

    @Test
    void timestampsOfTheEvent() {
        JsonNode root = parse(DebeziumJson.toJson(ChangeEvent.builder().op(Op.CREATE).source(TestEvents.SOURCE)
                .tsNs(1_700_000_000_987_654_321L).build(), 0));
        assertEquals(1_700_000_000_987L, root.get("ts_ms").longValue());
        assertEquals(1_700_000_000_987_654L, root.get("ts_us").longValue());
        assertEquals(1_700_000_000_987_654_321L, root.get("ts_ns").longValue());
        assertTrue(root.get("before").isNull());
        assertTrue(root.get("after").isNull());
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void opIsDebeziumsLetter(Op op) {
        String expected = switch (op) {
            case CREATE -> "c";
            case UPDATE -> "u";
            case DELETE -> "d";
            case READ -> "r";
            case TRUNCATE -> "t";
            case MESSAGE -> "m";
        };
        assertEquals(expected, parse(DebeziumJson.toJson(event(op, null, null), 0)).get("op").textValue());
    }

    @Test
    void deleteWithKeyOnlyBefore() {
        RowBuilder b = new RowBuilder()
                .key("id", PgType.INT8, "42")
                .text("name", PgType.TEXT, "gone")
                .key("region", PgType.TEXT, "eu");
        Row keys = RowLayout.of(b.columns()).row(b.tuple(), null, true);
        JsonNode root = parse(DebeziumJson.toJson(event(Op.DELETE, keys, null), 0));
        assertEquals(List.of("id", "region"), fieldNames(root.get("before")));
        assertEquals(42L, root.get("before").get("id").longValue());
        assertEquals("eu", root.get("before").get("region").textValue());
        assertTrue(root.get("after").isNull());
        assertEquals("d", root.get("op").textValue());
    }

    @Test
    void writeLeavesTheStreamOpenAndAddsNoNewline() throws IOException {
        boolean[] closed = {false};
        boolean[] flushed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }

            @Override
            public void flush() {
                flushed[0] = true;
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        DebeziumJson.write(insert(smallRow()), out, 0);
        DebeziumJson.write(insert(smallRow()), out, 0);
        assertFalse(closed[0]);
        assertFalse(flushed[0]);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"before\":null,") && text.endsWith("\"ts_ns\":1709280000123456789}"), text);
        assertTrue(text.contains("}{\"before\""), text);
        assertFalse(text.contains("\n"));
    }

    @Test
    void toJsonAndWriteAgree() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DebeziumJson.write(insert(smallRow()), out, 2);
        assertEquals(DebeziumJson.toJson(insert(smallRow())), out.toString(StandardCharsets.UTF_8));
    }
}
