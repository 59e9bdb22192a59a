package dev.pgoutput.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.types.PgInterval;
import dev.pgoutput.types.PgType;
import dev.pgoutput.types.ValueType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Single mappings against values Debezium 3.6.1 was seen to write (kafka-connect's DebeziumCaptureIT and
 * DifferentialIT on PG17), for the cases that are easy to get wrong: interval arithmetic, bit order, fraction
 * widths, infinities, special numerics, defaults from expressions, the unavailable-value placeholder.
 */
class ColumnMappingsTest {

    private static ColumnMapping map(int oid, int typmod, boolean notNull, String def, SchemaOptions options) {
        return ColumnMappings.of(new ColumnDefinition("c", oid, null, typmod, ValueType.builtin(oid), notNull, def,
                List.of()), options).orElseThrow();
    }

    private static ColumnMapping map(int oid, int typmod) {
        return map(oid, typmod, false, null, SchemaOptions.defaults());
    }

    @Test
    void intervalsAsDebeziumComputesThem() {
        ColumnMapping numeric = map(PgType.INTERVAL, -1);
        assertEquals("io.debezium.time.MicroDuration", numeric.schema().name());
        assertEquals(37091106500000L, numeric.convert(new PgInterval(14, 3, 14_706_500_000L)));
        assertEquals(-2802600000000L, numeric.convert(new PgInterval(-1, -2, 0)));
        ColumnMapping text = map(PgType.INTERVAL, -1, false, null,
                SchemaOptions.fromProperties(Map.of("interval.handling.mode", "string")));
        assertEquals("P0Y-1M-2DT0H0M0S", text.convert(new PgInterval(-1, -2, 0)));
        assertEquals("P0Y0M1DT2H3M4S", text.convert(new PgInterval(0, 1, 7_384_000_000L)));
    }

    @Test
    void bitsLittleEndianWithTheirLength() {
        ColumnMapping b12 = map(PgType.BIT, 12);
        assertEquals(Map.of("length", "12"), b12.schema().parameters());
        assertArrayEquals(new byte[] {0x38, 0x0b}, (byte[]) b12.convert("101100111000"));
        ColumnMapping varbit = map(PgType.VARBIT, -1);
        assertEquals("2147483647", varbit.schema().parameters().get("length"));
        assertArrayEquals(new byte[] {0x0b}, (byte[]) varbit.convert("1011"));
        assertEquals(true, map(PgType.BIT, 1).convert("1"));
    }

    @Test
    void temporalValues() {
        assertEquals("2024-03-01T11:45:06.500Z",
                map(PgType.TIMESTAMPTZ, 3).convert(OffsetDateTime.parse("2024-03-01T13:45:06.5+02:00")));
        assertEquals("1969-12-31T23:59:59.999999Z",
                map(PgType.TIMESTAMPTZ, -1).convert(OffsetDateTime.parse("1969-12-31T23:59:59.999999Z")));
        assertEquals(-719528, map(PgType.DATE, -1).convert(LocalDate.of(0, 1, 1)));
        assertEquals(-2147472691, map(PgType.DATE, -1).convert(LocalDate.MIN));
        assertEquals(9223372036825200000L, map(PgType.TIMESTAMP, -1).convert(LocalDateTime.MAX));
        ColumnMapping connect = map(PgType.TIMESTAMP, -1, false, null,
                SchemaOptions.fromProperties(Map.of("time.precision.mode", "connect")));
        assertEquals("org.apache.kafka.connect.data.Timestamp", connect.schema().name());
        assertEquals(9223372036825200L, connect.convert(LocalDateTime.MAX));
    }

    @Test
    void numericsInEachMode() {
        ColumnMapping variable = map(PgType.NUMERIC, -1);
        assertEquals("Variable scaled decimal", variable.schema().doc());
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) variable.convert(new BigDecimal("12345.678901"));
        assertEquals(6, v.get("scale"));
        assertArrayEquals(HexFormat.of().parseHex("02dfdc1c35"), (byte[]) v.get("value"));
        assertNull(variable.convert(Double.NaN), "NaN has no decimal: null, as Debezium writes it");
        ColumnMapping string = map(PgType.NUMERIC, -1, false, null,
                SchemaOptions.fromProperties(Map.of("decimal.handling.mode", "string")));
        assertEquals("NAN", string.convert(Double.NaN));
        ColumnMapping n52 = map(PgType.NUMERIC, ((5 << 16) | 2) + 4);
        assertEquals(Map.of("scale", "2", "connect.decimal.precision", "5"), n52.schema().parameters());
    }

    @Test
    void defaultsFromExpressions() {
        SchemaOptions d = SchemaOptions.defaults();
        assertEquals(9_000_000_000L, map(PgType.INT8, -1, true, "'9000000000'::bigint", d).schema().defaultValue());
        assertEquals(18294, map(PgType.DATE, -1, false, "'2020-02-02'::date", d).schema().defaultValue());
        assertEquals(0, map(PgType.INT4, -1, true, "nextval('t_id_seq'::regclass)", d).schema().defaultValue());
        assertEquals("1970-01-01T00:00:00.000000Z", map(PgType.TIMESTAMPTZ, -1, false, "now()", d).schema()
                .defaultValue());
        assertNull(map(PgType.BYTEA, -1, true, "'\\x0102'::bytea", d).schema().defaultValue(), "none for bytea");
        ColumnMapping required = map(PgType.TEXT, -1, true, null, d);
        assertFalse(required.schema().optional());
        assertEquals("", required.convert(null), "a required column without value: its type's empty value");
        assertEquals("hello", map(PgType.TEXT, -1, true, "'hello'::text", d).convert(null));
    }

    @Test
    void unchangedToastIsThePlaceholder() {
        assertEquals(SchemaOptions.DEFAULT_UNAVAILABLE_VALUE, map(PgType.TEXT, -1).convert(UnchangedToast.VALUE));
        ColumnMapping custom = map(PgType.TEXT, -1, false, null,
                SchemaOptions.fromProperties(Map.of("unavailable.value.placeholder", "N/A")));
        assertEquals("N/A", custom.convert(UnchangedToast.VALUE));
    }

    @Test
    void typesDebeziumLeavesOut() {
        for (int oid : new int[] {PgType.PG_LSN, PgType.XID, PgType.BOX, PgType.INT4MULTIRANGE}) {
            assertTrue(ColumnMappings.of(new ColumnDefinition("c", oid, null, -1, ValueType.builtin(oid), false,
                    null, List.of()), SchemaOptions.defaults()).isEmpty(), "oid " + oid);
        }
    }
}
