package dev.pgoutput.json;

import static dev.pgoutput.json.TestEvents.after;
import static dev.pgoutput.json.TestEvents.insert;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.api.Op;
import dev.pgoutput.api.UnchangedToast;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Maps that are not rows of this library: hand-made ones, written from their Java values. */
class GenericValuesTest {

    private static String compactAfter(Map<String, Object> row) {
        String json = DebeziumJson.toJson(insert(row), 0);
        int start = json.indexOf("\"after\":") + "\"after\":".length();
        int end = json.indexOf(",\"source\":");
        return json.substring(start, end);
    }

    private static String one(Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", value);
        String after = compactAfter(m);
        return after.substring("{\"v\":".length(), after.length() - 1);
    }

    @Test
    void numbers() {
        assertEquals("1", one(1));
        assertEquals("-9223372036854775808", one(Long.MIN_VALUE));
        assertEquals("-7", one((short) -7));
        assertEquals("8", one((byte) 8));
        assertEquals("123456789012345678901234567890", one(new BigInteger("123456789012345678901234567890")));
        assertEquals("0.0000001", one(new BigDecimal("1E-7")));
        assertEquals("1000", one(new BigDecimal("1E+3")));
        assertEquals("12345678901234567890.123456789", one(new BigDecimal("12345678901234567890.123456789")));
        assertEquals("0.1", one(0.1d));
        assertEquals("1.5", one(1.5f));
        assertEquals("\"NaN\"", one(Double.NaN));
        assertEquals("\"Infinity\"", one(Double.POSITIVE_INFINITY));
        assertEquals("\"-Infinity\"", one(Float.NEGATIVE_INFINITY));
        assertEquals("\"NaN\"", one(Float.NaN));
        assertEquals("42", one(new AtomicLong(42)));
        assertEquals("1.0E100", one(1e100)); // Double.toString: a valid JSON number
        assertEquals(0, new BigDecimal("1E+100").compareTo(after(Map.of("v", 1e100)).get("v").decimalValue()));
    }

    @Test
    void scalars() {
        assertEquals("true", one(true));
        assertEquals("null", one(null));
        assertEquals("\"tab\\there\"", one("tab\there"));
        assertEquals("\"__debezium_unavailable_value\"", one(UnchangedToast.VALUE));
        assertEquals("\"AAH/\"", one(new byte[] {0, 1, (byte) 0xFF}));
        assertEquals("\"AAH/\"", one(ByteBuffer.wrap(new byte[] {9, 0, 1, (byte) 0xFF, 9}, 1, 3)));
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {0, 1, (byte) 0xFF}).flip();
        assertEquals("\"AAH/\"", one(direct));
        assertEquals(3, direct.remaining());
        assertEquals("\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", one(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")));
        assertEquals("\"x\"", one('x'));
        assertEquals("\"CREATE\"", one(Op.CREATE));
        assertEquals("\"PT1H\"", one(java.time.Duration.ofHours(1)));
    }

    @Test
    void temporals() {
        assertEquals("\"2024-03-01\"", one(LocalDate.of(2024, 3, 1)));
        assertEquals("\"13:45:00\"", one(LocalTime.of(13, 45)));
        assertEquals("\"13:45:00.5\"", one(LocalTime.of(13, 45, 0, 500_000_000)));
        assertEquals("\"13:45:00.123456\"", one(LocalTime.of(13, 45, 0, 123_456_000)));
        assertEquals("\"13:45:00.000000001\"", one(LocalTime.of(13, 45, 0, 1)));
        assertEquals("\"24:00:00\"", one(LocalTime.MAX));
        assertEquals("\"2024-03-01T13:45:00.5\"", one(LocalDateTime.of(2024, 3, 1, 13, 45, 0, 500_000_000)));
        assertEquals("\"2024-03-01T08:15:00Z\"",
                one(OffsetDateTime.of(2024, 3, 1, 13, 45, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))));
        assertEquals("\"2024-03-01T08:15:00Z\"", one(Instant.parse("2024-03-01T08:15:00Z")));
        assertEquals("\"2024-07-01T11:00:00Z\"",
                one(ZonedDateTime.of(2024, 7, 1, 13, 0, 0, 0, ZoneId.of("Europe/Berlin"))));
        assertEquals("\"13:45:00+05:30\"", one(OffsetTime.of(13, 45, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))));
        assertEquals("\"13:45:00Z\"", one(OffsetTime.of(13, 45, 0, 0, ZoneOffset.UTC)));
        assertEquals("\"infinity\"", one(LocalDate.MAX));
        assertEquals("\"-infinity\"", one(LocalDate.MIN));
        assertEquals("\"infinity\"", one(LocalDateTime.MAX));
        assertEquals("\"-infinity\"", one(LocalDateTime.MIN));
        assertEquals("\"infinity\"", one(OffsetDateTime.MAX));
        assertEquals("\"-infinity\"", one(OffsetDateTime.MIN));
        assertEquals("\"0000-01-01\"", one(LocalDate.of(0, 1, 1)));
        assertEquals("\"-0001-12-31\"", one(LocalDate.of(-1, 12, 31)));
        assertEquals("\"+10000-01-01\"", one(LocalDate.of(10000, 1, 1)));
        assertEquals("\"0999-01-01T00:00:00\"", one(LocalDateTime.of(999, 1, 1, 0, 0)));
        assertEquals("\"+1000000000-12-31T23:59:59.999999999Z\"", one(Instant.MAX)); // beyond LocalDateTime
    }

    @Test
    void containers() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", List.of(1, "two"));
        nested.put(null, 3.5);
        Map<Integer, Object> intKeys = new LinkedHashMap<>();
        intKeys.put(7, new Object[] {null, true});
        assertEquals("{\"k\":[1,\"two\"],\"null\":3.5}", one(nested));
        assertEquals("{\"7\":[null,true]}", one(intKeys));
        assertEquals("[[],{}]", one(List.of(List.of(), Map.of())));
        assertEquals("[1,2]", one(new java.util.TreeSet<>(Arrays.asList(2, 1))));
    }

    @Test
    void immutableMapAsBeforeAndAfter() {
        String json = DebeziumJson.toJson(TestEvents.event(Op.UPDATE, Map.of("id", 1), Map.of("id", 2)), 0);
        assertEquals("{\"before\":{\"id\":1},\"after\":{\"id\":2},", json.substring(0, json.indexOf("\"source\"")));
    }

    @Test
    void anyOtherObjectIsItsToString() {
        Object custom = new Object() {
            @Override
            public String toString() {
                return "custom \"value\"";
            }
        };
        assertEquals("\"custom \\\"value\\\"\"", one(custom));
    }
}
