package dev.pgoutput.json;

import static dev.pgoutput.json.TestEvents.after;
import static dev.pgoutput.json.TestEvents.insert;
import static dev.pgoutput.json.TestEvents.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgoutput.api.Row;
import dev.pgoutput.internal.engine.RowLayout;
import dev.pgoutput.types.PgType;
import dev.pgoutput.types.ValueFormatException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values of rows made from message bytes, type by type, against values written by hand. */
class RowValuesTest {

    private static JsonNode single(int oid, String text) {
        return after(new RowBuilder().text("v", oid, text).row()).get("v");
    }

    private static String compactAfter(Row row) {
        String json = DebeziumJson.toJson(insert(row), 0);
        int start = json.indexOf("\"after\":") + "\"after\":".length();
        int end = json.indexOf(",\"source\":");
        return json.substring(start, end);
    }

    @Test
    void integersAreNumbers() {
        Row row = new RowBuilder()
                .text("a", PgType.INT2, "-32768")
                .text("b", PgType.INT4, "2147483647")
                .text("c", PgType.INT8, "-9223372036854775808")
                .text("d", PgType.INT8, "9223372036854775807")
                .text("e", PgType.OID, "4294967295")
                .text("f", PgType.INT4, "0")
                .row();
        assertEquals("{\"a\":-32768,\"b\":2147483647,\"c\":-9223372036854775808,\"d\":9223372036854775807,"
                + "\"e\":4294967295,\"f\":0}", compactAfter(row));
        JsonNode after = after(row);
        assertTrue(after.get("a").isIntegralNumber());
        assertEquals(Long.MIN_VALUE, after.get("c").longValue());
        assertEquals(4_294_967_295L, after.get("e").longValue());
    }

    @Test
    void integerTextThatIsNotAJsonIntegerGoesThroughTheJavaValue() {
        // Not what a server sends, but what the core accepts: the JSON must still be valid.
        assertEquals(5, single(PgType.INT4, "+5").intValue());
        assertEquals(7, single(PgType.INT2, "007").intValue());
        assertEquals(-12, single(PgType.INT8, "-012").intValue());
        assertThrows(ValueFormatException.class, () -> DebeziumJson.toJson(insert(
                new RowBuilder().text("v", PgType.INT4, "12abc").row())));
        assertThrows(ValueFormatException.class, () -> DebeziumJson.toJson(insert(
                new RowBuilder().text("v", PgType.INT8, "99999999999999999999").row())));
        assertThrows(ValueFormatException.class, () -> DebeziumJson.toJson(insert(
                new RowBuilder().text("v", PgType.INT4, "").row())));
    }

    @Test
    void numericKeepsEveryDigit() {
        Row row = new RowBuilder()
                .text("big", PgType.NUMERIC, "12345678901234567890.123456789")
                .text("scale", PgType.NUMERIC, "100.00")
                .text("tiny", PgType.NUMERIC, "-0.0000001")
                .text("zero", PgType.NUMERIC, "0")
                .text("nan", PgType.NUMERIC, "NaN")
                .text("inf", PgType.NUMERIC, "Infinity")
                .text("ninf", PgType.NUMERIC, "-Infinity")
                .row();
        assertEquals("{\"big\":12345678901234567890.123456789,\"scale\":100.00,\"tiny\":-0.0000001,\"zero\":0,"
                + "\"nan\":\"NaN\",\"inf\":\"Infinity\",\"ninf\":\"-Infinity\"}", compactAfter(row));
        JsonNode after = after(row);
        assertEquals(new BigDecimal("12345678901234567890.123456789"), after.get("big").decimalValue());
        assertTrue(after.get("big").isBigDecimal());
        assertEquals(new BigDecimal("100.00"), after.get("scale").decimalValue());
        assertEquals("NaN", after.get("nan").textValue());
    }

    @Test
    void numericLongerThanJacksonsBuffer() {
        // 20000 integer digits and 16383 fraction digits (numeric's limits are 131072 and 16383).
        String digits = "1234567890".repeat(2000) + "." + "9".repeat(16383);
        Row row = new RowBuilder().text("before", PgType.INT4, "1").text("v", PgType.NUMERIC, digits)
                .text("after", PgType.INT4, "2").row();
        assertEquals("{\"before\":1,\"v\":" + digits + ",\"after\":2}", compactAfter(row));
        assertEquals(new BigDecimal(digits), after(row).get("v").decimalValue());
    }

    @Test
    void floatsAreNumbersAndSpecialValuesStrings() {
        Row row = new RowBuilder()
                .text("a", PgType.FLOAT8, "1.5")
                .text("b", PgType.FLOAT8, "-0")
                .text("c", PgType.FLOAT8, "1e+100")
                .text("d", PgType.FLOAT4, "3.4028235e+38")
                .text("e", PgType.FLOAT8, "2.2250738585072014e-308")
                .text("f", PgType.FLOAT8, "NaN")
                .text("g", PgType.FLOAT4, "Infinity")
                .text("h", PgType.FLOAT8, "-Infinity")
                .row();
        assertEquals("{\"a\":1.5,\"b\":-0,\"c\":1e+100,\"d\":3.4028235e+38,\"e\":2.2250738585072014e-308,"
                + "\"f\":\"NaN\",\"g\":\"Infinity\",\"h\":\"-Infinity\"}", compactAfter(row));
        JsonNode after = after(row);
        assertEquals(1e100, after.get("c").doubleValue());
        assertEquals(3.4028235e38f, after.get("d").floatValue());
    }

    @Test
    void booleans() {
        JsonNode after = after(new RowBuilder().text("t", PgType.BOOL, "t").text("f", PgType.BOOL, "f").row());
        assertTrue(after.get("t").isBoolean() && after.get("t").booleanValue());
        assertTrue(after.get("f").isBoolean() && !after.get("f").booleanValue());
    }

    @Test
    void stringTypes() {
        Row row = new RowBuilder()
                .text("text", PgType.TEXT, "plain")
                .text("varchar", PgType.VARCHAR, "")
                .text("bpchar", PgType.BPCHAR, "ab  ")
                .text("name", PgType.NAME, "pg_catalog")
                .text("char", PgType.CHAR, "x")
                .text("json", PgType.JSON, "{\"a\": [1, 2]}")
                .text("jsonb", PgType.JSONB, "{\"a\": [1, 2]}")
                .text("uuid", PgType.UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
                .text("interval", 1186, "1 day 02:00:00")
                .text("enum", 16_400, "happy")
                .row();
        assertEquals("{\"text\":\"plain\",\"varchar\":\"\",\"bpchar\":\"ab  \",\"name\":\"pg_catalog\",\"char\":\"x\","
                + "\"json\":\"{\\\"a\\\": [1, 2]}\",\"jsonb\":\"{\\\"a\\\": [1, 2]}\","
                + "\"uuid\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",\"interval\":\"P1DT2H\","
                + "\"enum\":\"happy\"}", compactAfter(row));
        JsonNode after = after(row);
        assertEquals("{\"a\": [1, 2]}", after.get("jsonb").textValue());
    }

    @Test
    void unicodeAndControlCharactersAreEscapedOnlyAsJsonRequires() {
        String unicode = "héllo wörld 日本語 🎉 \u2028";
        String controls = "line1\nline2\ttab \"quote\" back\\slash \u0001\u001f\u007f end\r";
        Row row = new RowBuilder().text("u", PgType.TEXT, unicode).text("c", PgType.VARCHAR, controls).row();
        String json = compactAfter(row);
        assertEquals("{\"u\":\"héllo wörld 日本語 🎉 \u2028\","
                + "\"c\":\"line1\\nline2\\ttab \\\"quote\\\" back\\\\slash \\u0001\\u001F\u007f end\\r\"}", json);
        JsonNode after = after(row);
        assertEquals(unicode, after.get("u").textValue());
        assertEquals(controls, after.get("c").textValue());
    }

    @Test
    void longStringsWithMultiByteCharacters() {
        String text = "ä€😀\"\n".repeat(5000);
        Row row = new RowBuilder().text("v", PgType.TEXT, text).text("n", PgType.INT4, "3").row();
        JsonNode after = after(row);
        assertEquals(text, after.get("v").textValue());
        assertEquals(3, after.get("n").intValue());
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() {
        Row row = new RowBuilder()
                .textBytes("lone", PgType.TEXT, new byte[] {'a', (byte) 0xC3, '(', 'b'})
                .textBytes("ff", PgType.TEXT, new byte[] {'x', (byte) 0xFF})
                .textBytes("overlong", PgType.TEXT, new byte[] {(byte) 0xC0, (byte) 0xAF})
                .textBytes("surrogate", PgType.TEXT, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})
                .textBytes("truncated", PgType.VARCHAR, new byte[] {'z', (byte) 0xE2, (byte) 0x82})
                .textBytes("fine", PgType.TEXT, new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC})
                .row();
        // The parser rejects invalid UTF-8, so parsing at all shows the output is well-formed.
        JsonNode after = after(row);
        assertEquals("a\uFFFD(b", after.get("lone").textValue());
        assertEquals("x\uFFFD", after.get("ff").textValue());
        assertTrue(after.get("overlong").textValue().chars().allMatch(c -> c == 0xFFFD));
        assertTrue(after.get("surrogate").textValue().chars().allMatch(c -> c == 0xFFFD));
        assertTrue(after.get("truncated").textValue().startsWith("z\uFFFD"));
        assertEquals("€", after.get("fine").textValue());
    }

    @Test
    void byteaIsBase64() {
        Row row = new RowBuilder()
                .text("hex", PgType.BYTEA, "\\x0001ff")
                .text("empty", PgType.BYTEA, "\\x")
                .text("escape", PgType.BYTEA, "a\\000b\\\\")
                .text("hello", PgType.BYTEA, "\\x48656c6c6f")
                .row();
        assertEquals("{\"hex\":\"AAH/\",\"empty\":\"\",\"escape\":\"YQBiXA==\",\"hello\":\"SGVsbG8=\"}", compactAfter(row));
    }

    @Test
    void datesAndTimesAreIsoStrings() {
        Row row = new RowBuilder()
                .text("date", PgType.DATE, "2024-03-01")
                .text("date_inf", PgType.DATE, "infinity")
                .text("date_ninf", PgType.DATE, "-infinity")
                .text("date_bc", PgType.DATE, "0044-03-15 BC")
                .text("date_big", PgType.DATE, "12345-06-07")
                .text("time", PgType.TIME, "13:45:00.123456")
                .text("time_whole", PgType.TIME, "13:45:00")
                .text("time_micro", PgType.TIME, "00:00:00.000001")
                .text("time_end", PgType.TIME, "24:00:00")
                .text("ts", PgType.TIMESTAMP, "2024-03-01 13:45:00.5")
                .text("ts_midnight", PgType.TIMESTAMP, "2024-03-01 00:00:00")
                .text("ts_inf", PgType.TIMESTAMP, "infinity")
                .text("tstz", PgType.TIMESTAMPTZ, "2024-03-01 13:45:00+05:30")
                .text("tstz_micro", PgType.TIMESTAMPTZ, "2024-03-01 13:45:00.123456+00")
                .text("tstz_west", PgType.TIMESTAMPTZ, "2024-12-31 22:30:00.010-03")
                .text("tstz_ninf", PgType.TIMESTAMPTZ, "-infinity")
                .text("tstz_inf", PgType.TIMESTAMPTZ, "infinity")
                .row();
        assertEquals("{\"date\":\"2024-03-01\",\"date_inf\":\"infinity\",\"date_ninf\":\"-infinity\","
                + "\"date_bc\":\"-0043-03-15\",\"date_big\":\"+12345-06-07\","
                + "\"time\":\"13:45:00.123456\",\"time_whole\":\"13:45:00\",\"time_micro\":\"00:00:00.000001\","
                + "\"time_end\":\"24:00:00\",\"ts\":\"2024-03-01T13:45:00.5\",\"ts_midnight\":\"2024-03-01T00:00:00\","
                + "\"ts_inf\":\"infinity\",\"tstz\":\"2024-03-01T08:15:00Z\","
                + "\"tstz_micro\":\"2024-03-01T13:45:00.123456Z\",\"tstz_west\":\"2025-01-01T01:30:00.01Z\","
                + "\"tstz_ninf\":\"-infinity\",\"tstz_inf\":\"infinity\"}", compactAfter(row));
    }

    @Test
    void malformedTemporalTextFails() {
        assertThrows(ValueFormatException.class, () -> DebeziumJson.toJson(insert(
                new RowBuilder().text("v", PgType.DATE, "2024-13-45").row())));
    }

    @Test
    void arraysAreJsonArraysOfTheirElements() {
        Row row = new RowBuilder()
                .text("ints", PgType.INT4_ARRAY, "{1,2,NULL}")
                .text("texts", PgType.TEXT_ARRAY, "{\"a b\",\"x\\\"y\",NULL,plain}")
                .text("nested", PgType.INT8_ARRAY, "{{1,2},{3,4}}")
                .text("numerics", PgType.NUMERIC_ARRAY, "{1.10,NaN,-0.0000001}")
                .text("floats", PgType.FLOAT8_ARRAY, "{1.5,Infinity}")
                .text("bools", PgType.BOOL_ARRAY, "{t,f}")
                .text("byteas", PgType.BYTEA_ARRAY, "{\"\\\\x00ff\"}")
                .text("dates", PgType.DATE_ARRAY, "{2024-03-01,infinity}")
                .text("tstzs", PgType.TIMESTAMPTZ_ARRAY, "{\"2024-03-01 13:45:00+05:30\"}")
                .text("uuids", PgType.UUID_ARRAY, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}")
                .text("empty", PgType.TEXT_ARRAY, "{}")
                .text("bounds", PgType.INT4_ARRAY, "[0:1]={7,8}")
                .row();
        assertEquals("{\"ints\":[1,2,null],\"texts\":[\"a b\",\"x\\\"y\",null,\"plain\"],\"nested\":[[1,2],[3,4]],"
                + "\"numerics\":[1.10,\"NaN\",-0.0000001],\"floats\":[1.5,\"Infinity\"],\"bools\":[true,false],"
                + "\"byteas\":[\"AP8=\"],\"dates\":[\"2024-03-01\",\"infinity\"],\"tstzs\":[\"2024-03-01T08:15:00Z\"],"
                + "\"uuids\":[\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"],\"empty\":[],\"bounds\":[7,8]}",
                compactAfter(row));
    }

    @Test
    void numericArrayElementWithHugeScaleStaysExact() {
        String element = "0." + "1234567".repeat(2000); // scale 14000, beyond Jackson's BigDecimal limit of 9999
        JsonNode v = after(new RowBuilder().text("v", PgType.NUMERIC_ARRAY, "{" + element + "}").row()).get("v");
        assertEquals(new BigDecimal(element), v.get(0).decimalValue());
    }

    @Test
    void nullsAndUnchangedToast() {
        Row row = new RowBuilder()
                .key("id", PgType.INT4, "1")
                .sqlNull("n", PgType.TEXT)
                .unchangedToast("body", PgType.TEXT)
                .sqlNull("m", PgType.NUMERIC)
                .row();
        assertEquals("{\"id\":1,\"n\":null,\"body\":\"__debezium_unavailable_value\",\"m\":null}", compactAfter(row));
    }

    @Test
    void unchangedToastIsFilledFromTheOldRow() {
        RowBuilder oldRow = new RowBuilder()
                .key("id", PgType.INT4, "1")
                .text("body", PgType.TEXT, "old body ✓")
                .text("n", PgType.INT8, "99");
        RowBuilder newRow = new RowBuilder()
                .key("id", PgType.INT4, "1")
                .unchangedToast("body", PgType.TEXT)
                .unchangedToast("n", PgType.INT8);
        Row after = RowLayout.of(newRow.columns()).row(newRow.tuple(), oldRow.tuple(), false);
        assertEquals("{\"id\":1,\"body\":\"old body ✓\",\"n\":99}", compactAfter(after));
    }

    @Test
    void binaryFormatValuesAreConvertedLikeText() {
        Row row = new RowBuilder()
                .binary("int4", PgType.INT4, new byte[] {0, 0, 0, 42})
                .binary("empty", PgType.BYTEA, new byte[0])
                .binary("bytes", PgType.BYTEA, new byte[] {0, 0, 0, 42})
                .binary("unknown", 2205, new byte[] {0, 0, 0, 42})
                .text("text", PgType.TEXT, "after")
                .row();
        assertEquals("{\"int4\":42,\"empty\":\"\",\"bytes\":\"AAAAKg==\",\"unknown\":\"AAAAKg==\",\"text\":\"after\"}",
                compactAfter(row));
    }

    @Test
    void rowAndItsPlainCopyGiveTheSameJson() {
        // Duel: the byte-copying path for rows against the Java-value path for a plain map.
        Row row = new RowBuilder()
                .text("i2", PgType.INT2, "-7").text("i4", PgType.INT4, "123").text("i8", PgType.INT8, "-9223372036854775808")
                .text("oid", PgType.OID, "4294967295").text("num", PgType.NUMERIC, "12345678901234567890.123456789")
                .text("num_nan", PgType.NUMERIC, "NaN").text("f4", PgType.FLOAT4, "1.25").text("f8", PgType.FLOAT8, "1e+100")
                .text("f8_inf", PgType.FLOAT8, "-Infinity").text("b", PgType.BOOL, "t").text("t", PgType.TEXT, "ü\n\"x\"")
                .text("u", PgType.UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").text("by", PgType.BYTEA, "\\xdeadbeef")
                .text("d", PgType.DATE, "2024-03-01").text("tm", PgType.TIME, "13:45:00.123456")
                .text("ts", PgType.TIMESTAMP, "2024-03-01 13:45:00.5").text("tz", PgType.TIMESTAMPTZ, "2024-03-01 13:45:00+05:30")
                .text("arr", PgType.INT4_ARRAY, "{1,NULL}").text("js", PgType.JSONB, "{\"k\": 1}")
                .sqlNull("nul", PgType.INT4).unchangedToast("toast", PgType.TEXT)
                .binary("bin", PgType.INT4, new byte[] {1, 2, 3, 4})
                .row();
        JsonNode fromRow = after(row);
        JsonNode fromMap = after(new java.util.LinkedHashMap<>(row));
        assertTrue(fromRow.equals((a, b) -> {
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
            }
            return a.equals(b) ? 0 : 1;
        }, fromMap), () -> fromRow + "\n" + fromMap);
        assertEquals(List.of("i2", "i4", "i8", "oid", "num", "num_nan", "f4", "f8", "f8_inf", "b", "t", "u", "by", "d",
                "tm", "ts", "tz", "arr", "js", "nul", "toast", "bin"), TestEvents.fieldNames(fromRow));
        assertFalse(fromRow.get("num").isTextual());
        assertEquals(new BigInteger("-9223372036854775808"), fromRow.get("i8").bigIntegerValue());
        assertEquals(parse("{\"k\":\"3q2+7w==\"}").get("k"), fromRow.get("by"));
    }
}
