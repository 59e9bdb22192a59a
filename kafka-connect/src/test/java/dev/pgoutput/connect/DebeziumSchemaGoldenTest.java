package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgoutput.connect.record.ConnectSchemas;
import dev.pgoutput.schema.ColumnDefinition;
import dev.pgoutput.schema.ColumnMapping;
import dev.pgoutput.schema.ColumnMappings;
import dev.pgoutput.schema.DebeziumSchema;
import dev.pgoutput.schema.EventSchemas;
import dev.pgoutput.schema.SchemaOptions;
import dev.pgoutput.types.PgInterval;
import dev.pgoutput.types.PgPoint;
import dev.pgoutput.types.PgType;
import dev.pgoutput.types.ValueType;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/**
 * The type mapping of {@code dev.pgoutput.schema} against what Debezium 3.6.1 really wrote for the first insert of
 * {@link TypesWorkload}'s many-types table (captured by {@link DebeziumCaptureIT} into the resource file, not
 * derived from our code): each column's schema (type, optionality, name, version, parameters, default) and value,
 * from the Java values the library gives for that row, through Connect and {@code JsonConverter}.
 */
class DebeziumSchemaGoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENUM = "public.mood";
    private static final List<String> MOODS = List.of("sad", "ok", "happy");

    /** One column: its catalog facts and the Java value the library reads for the golden row. */
    private record Col(String name, int oid, int typmod, ValueType type, boolean notNull, String def,
                       List<String> labels, Object value) {
        Col(String name, int oid, int typmod, Object value) {
            this(name, oid, typmod, ValueType.builtin(oid), false, null, List.of(), value);
        }

        Col notNull(String defaultExpression) {
            return new Col(name, oid, typmod, type, true, defaultExpression, labels, value);
        }

        Col withDefault(String defaultExpression) {
            return new Col(name, oid, typmod, type, notNull, defaultExpression, labels, value);
        }
    }

    private static int numeric(int precision, int scale) {
        return ((precision << 16) | scale) + 4;
    }

    private static List<Col> columns() {
        ValueType text = ValueType.builtin(PgType.TEXT);
        return List.of(
                new Col("id", PgType.INT4, -1, 1).notNull(null),
                new Col("b", PgType.BOOL, -1, true),
                new Col("i2", PgType.INT2, -1, (short) 2).notNull("7"),
                new Col("i4", PgType.INT4, -1, 3).withDefault("42"),
                new Col("i8", PgType.INT8, -1, 4_000_000_000L),
                new Col("f4", PgType.FLOAT4, -1, 1.5f),
                new Col("f8", PgType.FLOAT8, -1, -2.25d),
                new Col("n", PgType.NUMERIC, -1, new BigDecimal("12345.678901")),
                new Col("n52", PgType.NUMERIC, numeric(5, 2), new BigDecimal("123.45")),
                new Col("n100", PgType.NUMERIC, numeric(10, 0), new BigDecimal("1234567890")).withDefault("3"),
                new Col("m", PgType.MONEY, -1, new BigDecimal("12.34")),
                new Col("t", PgType.TEXT, -1, "text").notNull("'hello'::text"),
                new Col("vc", PgType.VARCHAR, 14, "varchar"),
                new Col("c", PgType.BPCHAR, 7, "ab "),
                new Col("ch", PgType.CHAR, -1, "q"),
                new Col("nm", PgType.NAME, -1, "aname"),
                new Col("bt", PgType.BYTEA, -1, HexFormat.of().parseHex("deadbeef")),
                new Col("j", PgType.JSON, -1, "{\"a\": 1}"),
                new Col("jb", PgType.JSONB, -1, "{\"b\": [1, 2]}"),
                new Col("x", PgType.XML, -1, "<x>1</x>"),
                new Col("u", PgType.UUID, -1, UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
                new Col("d", PgType.DATE, -1, LocalDate.of(2024, 3, 1)),
                new Col("d_def", PgType.DATE, -1, LocalDate.of(1999, 12, 31)).withDefault("'2020-02-02'::date"),
                new Col("tm", PgType.TIME, -1, LocalTime.parse("13:45:06.123456")),
                new Col("tm3", PgType.TIME, 3, LocalTime.parse("13:45:06.123")),
                new Col("tm0", PgType.TIME, 0, LocalTime.parse("13:45:06")),
                new Col("ttz", PgType.TIMETZ, -1, OffsetTime.parse("13:45:06.5+05:30")),
                new Col("ts", PgType.TIMESTAMP, -1, LocalDateTime.parse("2024-03-01T13:45:06.123456")),
                new Col("ts3", PgType.TIMESTAMP, 3, LocalDateTime.parse("2024-03-01T13:45:06.123")),
                new Col("tstz", PgType.TIMESTAMPTZ, -1, OffsetDateTime.parse("2024-03-01T11:45:06.123456Z")),
                new Col("tstz3", PgType.TIMESTAMPTZ, 3, OffsetDateTime.parse("2024-03-01T11:45:06.5Z")),
                new Col("iv", PgType.INTERVAL, -1, new PgInterval(14, 3, 14_706_500_000L)),
                new Col("b1", PgType.BIT, 1, "1"),
                new Col("b8", PgType.BIT, 8, "10110011"),
                new Col("b12", PgType.BIT, 12, "101100111000"),
                new Col("vb", PgType.VARBIT, -1, "1011"),
                new Col("vb5", PgType.VARBIT, 5, "10"),
                new Col("ip", PgType.INET, -1, "192.168.0.1/24"),
                new Col("net", PgType.CIDR, -1, "10.0.0.0/8"),
                new Col("mac", PgType.MACADDR, -1, "08:00:2b:01:02:03"),
                new Col("mac8", PgType.MACADDR8, -1, "08:00:2b:01:02:03:04:05"),
                new Col("pt", PgType.POINT, -1, new PgPoint(1.5, -2.0)),
                new Col("i4r", PgType.INT4RANGE, -1, "[1,10)"),
                new Col("nr", PgType.NUMRANGE, -1, "(1.5,2.5]"),
                new Col("tsr", PgType.TSRANGE, -1, "[\"2024-01-01 10:00:00\",\"2024-01-02 11:00:00\")"),
                new Col("dr", PgType.DATERANGE, -1, "[2024-01-01,2024-02-01)"),
                new Col("mo", 0, -1, text, false, null, MOODS, "happy"),
                new Col("mo_def", 0, -1, text, true, "'ok'::mood", MOODS, "sad"),
                new Col("dom", PgType.INT4, -1, 5),
                new Col("ia", PgType.INT4_ARRAY, -1, Arrays.asList(1, 2, null)),
                new Col("ta", PgType.TEXT_ARRAY, -1, List.of("a", "b c")),
                new Col("na", PgType.NUMERIC_ARRAY, -1, List.of(new BigDecimal("1.5"), new BigDecimal("2"))),
                new Col("oi", PgType.OID, -1, 12345L),
                new Col("lsn", PgType.PG_LSN, -1, 0x16_B374D848L),
                new Col("xid_", PgType.XID, -1, 777L),
                new Col("tsv", PgType.TSVECTOR, -1, "'a' 'cat' 'fat'"),
                new Col("flag", PgType.BOOL, -1, false).notNull("true"),
                new Col("f8d", PgType.FLOAT8, -1, 2.5d).withDefault("1.5"),
                new Col("txt_nn", PgType.TEXT, -1, "nn").notNull(null),
                new Col("bt_nn", PgType.BYTEA, -1, new byte[] {0x0a}).notNull("'\\x0102'::bytea"),
                new Col("big", PgType.INT8, -1, 1L).notNull("'9000000000'::bigint"));
    }

    @Test
    void schemasAndValuesAreTheOnesDebeziumWrote() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("debezium-3.6.1-types_pk-insert.json")) {
            golden = JSON.readTree(in);
        }
        List<DebeziumSchema.Field> fields = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Col c : columns()) {
            ColumnDefinition d = new ColumnDefinition(c.name(), c.oid(), c.labels().isEmpty() ? null : ENUM,
                    c.typmod(), c.type(), c.notNull(), c.def(), c.labels());
            var mapping = ColumnMappings.of(d, SchemaOptions.defaults());
            if (mapping.isEmpty()) {
                continue;
            }
            ColumnMapping m = mapping.get();
            fields.add(new DebeziumSchema.Field(c.name(), m.schema()));
            values.add(m.convert(c.value()));
        }
        Schema value = ConnectSchemas.toConnect(EventSchemas.value("PREFIX.public.types_pk", fields));
        Struct row = new Struct(value);
        for (int i = 0; i < fields.size(); i++) {
            org.apache.kafka.connect.data.Field f = value.field(fields.get(i).name());
            row.put(f, ConnectSchemas.toConnectValue(f.schema(), values.get(i)));
        }
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        JsonNode ours = JSON.readTree(converter.fromConnectData("t", value, row));

        ObjectNode expectedSchema = ((ObjectNode) golden.get("schema").deepCopy());
        expectedSchema.remove("field");
        List<String> differences = new ArrayList<>();
        JsonNode ourFields = ours.get("schema").get("fields");
        JsonNode theirFields = expectedSchema.get("fields");
        assertEquals(theirFields.size(), ourFields.size(), "columns (Debezium leaves out pg_lsn and xid)");
        for (int i = 0; i < theirFields.size(); i++) {
            String name = theirFields.get(i).get("field").asText();
            if (!theirFields.get(i).equals(ourFields.get(i))) {
                differences.add("schema of " + name + ": debezium=" + theirFields.get(i) + " ours=" + ourFields.get(i));
            }
            if (!golden.get("payload").get(name).equals(ours.get("payload").get(name))) {
                differences.add("value of " + name + ": debezium=" + golden.get("payload").get(name) + " ours="
                        + ours.get("payload").get(name));
            }
        }
        assertEquals(List.of(), differences);
        ((ObjectNode) ours.get("schema")).remove("fields");
        expectedSchema.remove("fields");
        assertEquals(expectedSchema, ours.get("schema"), "the Value struct's own schema");
        assertTrue(theirFields.size() > 50, "the golden row has the many types");
    }
}
