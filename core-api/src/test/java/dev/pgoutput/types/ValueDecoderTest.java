package dev.pgoutput.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueDecoderTest {

    private static Object text(int oid, String value) {
        // Surround the value with other bytes so that offset handling is exercised too.
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[v.length + 6];
        Arrays.fill(buf, (byte) '#');
        System.arraycopy(v, 0, buf, 3, v.length);
        return ValueDecoder.fromText(oid, buf, 3, v.length);
    }

    @Test
    void scalars() {
        assertEquals(Boolean.TRUE, text(PgType.BOOL, "t"));
        assertEquals(Boolean.FALSE, text(PgType.BOOL, "f"));
        assertEquals((short) -32768, text(PgType.INT2, "-32768"));
        assertEquals(2147483647, text(PgType.INT4, "2147483647"));
        assertEquals(Long.MIN_VALUE, text(PgType.INT8, "-9223372036854775808"));
        assertEquals(Long.MAX_VALUE, text(PgType.INT8, "9223372036854775807"));
        assertEquals(1.5f, text(PgType.FLOAT4, "1.5"));
        assertEquals(Double.NEGATIVE_INFINITY, text(PgType.FLOAT8, "-Infinity"));
        assertTrue(Double.isNaN((Double) text(PgType.FLOAT8, "NaN")));
        assertEquals(new BigDecimal("12345678901234567890.123456789"), text(PgType.NUMERIC, "12345678901234567890.123456789"));
        assertEquals(Double.NaN, text(PgType.NUMERIC, "NaN"));
        assertEquals("héllo ☃", text(PgType.TEXT, "héllo ☃"));
        assertEquals("{\"a\": 1}", text(PgType.JSONB, "{\"a\": 1}"));
        assertEquals(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                text(PgType.UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertEquals("anything", text(2205, "anything")); // regclass: no conversion, its text
    }

    @Test
    void integerOverflowIsAFormatError() {
        assertThrows(ValueFormatException.class, () -> text(PgType.INT8, "9223372036854775808"));
        assertThrows(ValueFormatException.class, () -> text(PgType.INT4, "12a"));
        assertThrows(ValueFormatException.class, () -> text(PgType.INT4, "2147483648"));
        assertThrows(ValueFormatException.class, () -> text(PgType.INT2, "-32769"));
        assertThrows(ValueFormatException.class, () -> text(PgType.INT4, "-"));
        assertThrows(ValueFormatException.class, () -> text(PgType.BOOL, "yes"));
    }

    @Test
    void bytea() {
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff, 0x00}, (byte[]) text(PgType.BYTEA, "\\x0aff00"));
        assertArrayEquals(new byte[] {'a', '\\', 1}, (byte[]) text(PgType.BYTEA, "a\\\\\\001"));
        assertThrows(ValueFormatException.class, () -> text(PgType.BYTEA, "\\x0"));
    }

    @Test
    void temporals() {
        assertEquals(LocalDate.of(2024, 2, 29), text(PgType.DATE, "2024-02-29"));
        assertEquals(LocalDate.of(-43, 3, 15), text(PgType.DATE, "0044-03-15 BC"));
        assertEquals(LocalDate.MAX, text(PgType.DATE, "infinity"));
        assertEquals(LocalTime.of(13, 45, 0, 123_456_000), text(PgType.TIME, "13:45:00.123456"));
        assertEquals(LocalTime.MAX, text(PgType.TIME, "24:00:00"));
        assertEquals(LocalDateTime.of(2024, 3, 1, 13, 45, 0, 500_000_000), text(PgType.TIMESTAMP, "2024-03-01 13:45:00.5"));
        assertEquals(LocalDateTime.of(12345, 1, 1, 0, 0), text(PgType.TIMESTAMP, "12345-01-01 00:00:00"));
        assertEquals(OffsetDateTime.of(2024, 3, 1, 8, 15, 0, 0, ZoneOffset.UTC),
                text(PgType.TIMESTAMPTZ, "2024-03-01 13:45:00+05:30"));
        assertEquals(OffsetDateTime.of(2024, 3, 1, 14, 0, 0, 1000, ZoneOffset.UTC),
                text(PgType.TIMESTAMPTZ, "2024-03-01 13:00:00.000001-01"));
        assertEquals(OffsetDateTime.MIN, text(PgType.TIMESTAMPTZ, "-infinity"));
        assertThrows(ValueFormatException.class, () -> text(PgType.TIMESTAMPTZ, "2024-03-01 13:00:00"));
    }

    @Test
    void arrays() {
        assertEquals(List.of(1, 2, 3), text(PgType.INT4_ARRAY, "{1,2,3}"));
        assertEquals(Arrays.asList("a b", null, "x\"y", "NULL"), text(PgType.TEXT_ARRAY, "{\"a b\",NULL,\"x\\\"y\",\"NULL\"}"));
        assertEquals(List.of(), text(PgType.INT8_ARRAY, "{}"));
        assertEquals(List.of(List.of(1, 2), List.of(3, 4)), text(PgType.INT4_ARRAY, "{{1,2},{3,4}}"));
        assertEquals(List.of(7, 8), text(PgType.INT4_ARRAY, "[0:1]={7,8}"));
        assertEquals(List.of(LocalDate.of(2020, 1, 1)), text(PgType.DATE_ARRAY, "{2020-01-01}"));
        assertThrows(ValueFormatException.class, () -> text(PgType.INT4_ARRAY, "{1,2"));
        assertThrows(ValueFormatException.class, () -> text(PgType.INT4_ARRAY, "{1,}"));
    }
}
