package dev.pgoutput.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Text and binary conversions against hand-written expectations: binary inputs are written out byte by
 * byte from the layouts of PostgreSQL's send functions, never produced by the code under test.
 */
class TypeConversionsTest {

    private static Object bin(int oid, String hex) {
        return bin(ValueType.builtin(oid), hex);
    }

    private static Object bin(ValueType type, String hex) {
        byte[] v = HexFormat.of().parseHex(hex.replace(" ", ""));
        byte[] buf = new byte[v.length + 4];
        System.arraycopy(v, 0, buf, 2, v.length);
        return ValueDecoder.fromBinary(type, buf, 2, v.length);
    }

    private static Object text(ValueType type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ValueDecoder.fromText(type, b, 0, b.length);
    }

    private static Object text(int oid, String s) {
        return text(ValueType.builtin(oid), s);
    }

    private static InetAddress v4(int a, int b, int c, int d) throws Exception {
        return Inet4Address.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    @Test
    void binaryScalars() {
        assertEquals(true, bin(PgType.BOOL, "01"));
        assertEquals((short) -2, bin(PgType.INT2, "fffe"));
        assertEquals(42, bin(PgType.INT4, "0000002a"));
        assertEquals(Long.MIN_VALUE, bin(PgType.INT8, "8000000000000000"));
        assertEquals(4294967295L, bin(PgType.XID, "ffffffff"));
        assertEquals(4294967295L, bin(PgType.OID, "ffffffff"));
        assertEquals(-1L, bin(PgType.XID8, "ffffffffffffffff"));
        assertEquals(-0.0, bin(PgType.FLOAT8, "8000000000000000"));
        assertEquals(Float.NEGATIVE_INFINITY, bin(PgType.FLOAT4, "ff800000"));
        assertEquals(new BigDecimal("123.45"), bin(PgType.MONEY, "0000000000003039"));
        assertEquals("héllo", bin(PgType.TEXT, "68c3a96c6c6f"));
        assertEquals("{\"a\": 1}", bin(PgType.JSONB, "01 7b2261223a20317d"));
        assertEquals("$.a", bin(PgType.JSONPATH, "01 242e61"));
        assertEquals("x", bin(PgType.CHAR, "78"));
        assertEquals("\\351", bin(PgType.CHAR, "e9"));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) bin(PgType.BYTEA, "00ff"));
        assertEquals(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                bin(PgType.UUID, "a0eebc999c0b4ef8bb6d6bb9bd380a11"));
        assertEquals(0x16B374D848L, bin(PgType.PG_LSN, "00000016b374d848"));
        assertEquals("08:00:2b:01:02:03", bin(PgType.MACADDR, "08002b010203"));
        assertEquals("08:00:2b:01:02:03:04:05", bin(PgType.MACADDR8, "08002b0102030405"));
        assertEquals("101", bin(PgType.VARBIT, "00000003 a0"));
        assertEquals("", bin(PgType.VARBIT, "00000000"));
    }

    @Test
    void binaryNumeric() {
        // 12345.678: digits 1, 2345, 6780 (base 10000), weight 1, dscale 3.
        assertEquals(new BigDecimal("12345.678"), bin(PgType.NUMERIC, "0003 0001 0000 0003 0001 0929 1a7c"));
        assertEquals(new BigDecimal("-0.0001"), bin(PgType.NUMERIC, "0001 ffff 4000 0004 0001"));
        assertEquals(new BigDecimal("0.00"), bin(PgType.NUMERIC, "0000 0000 0000 0002"));
        // 10000000000: one digit 1 at weight 2, trailing zero digits not sent.
        assertEquals(new BigDecimal("10000000000"), bin(PgType.NUMERIC, "0001 0002 0000 0000 0064"));
        assertEquals(Double.NaN, bin(PgType.NUMERIC, "0000 0000 c000 0000"));
        assertEquals(Double.POSITIVE_INFINITY, bin(PgType.NUMERIC, "0000 0000 d000 0000"));
        assertEquals(Double.NEGATIVE_INFINITY, bin(PgType.NUMERIC, "0000 0000 f000 0000"));
        assertThrows(ValueFormatException.class, () -> bin(PgType.NUMERIC, "0002 0000 0000 0000 0001"));
    }

    @Test
    void binaryTemporals() {
        assertEquals(LocalDate.of(2000, 1, 1), bin(PgType.DATE, "00000000"));
        assertEquals(LocalDate.of(1999, 12, 31), bin(PgType.DATE, "ffffffff"));
        assertEquals(LocalDate.MAX, bin(PgType.DATE, "7fffffff"));
        assertEquals(LocalDate.MIN, bin(PgType.DATE, "80000000"));
        assertEquals(LocalTime.MAX, bin(PgType.TIME, "000000141dd76000"));
        assertEquals(LocalTime.of(0, 0, 1), bin(PgType.TIME, "00000000000f4240"));
        // 13:45:00 = 49 500 000 000 us; zone -19800 s west = +05:30.
        assertEquals(OffsetTime.of(13, 45, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)),
                bin(PgType.TIMETZ, "0000000b866e0f00 ffffb2a8"));
        assertEquals(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1000), bin(PgType.TIMESTAMP, "0000000000000001"));
        assertEquals(LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000), bin(PgType.TIMESTAMP, "ffffffffffffffff"));
        assertEquals(OffsetDateTime.MIN, bin(PgType.TIMESTAMPTZ, "8000000000000000"));
        assertEquals(OffsetDateTime.of(2000, 1, 1, 0, 0, 1, 0, ZoneOffset.UTC), bin(PgType.TIMESTAMPTZ, "00000000000f4240"));
        assertEquals(new PgInterval(1, 2, 3), bin(PgType.INTERVAL, "0000000000000003 00000002 00000001"));
    }

    @Test
    void binaryNetworkAndGeometry() throws Exception {
        assertEquals(new PgInet(v4(192, 168, 0, 1), 24, false), bin(PgType.INET, "02 18 00 04 c0a80001"));
        PgInet mapped = (PgInet) bin(PgType.CIDR, "03 80 01 10 00000000000000000000ffff01020304");
        assertEquals(Inet6Address.class, mapped.address().getClass());
        assertEquals("::ffff:102:304/128", mapped.toString());
        assertEquals(new PgPoint(1.5, -2), bin(PgType.POINT, "3ff8000000000000 c000000000000000"));
        assertEquals(new PgPath(List.of(new PgPoint(1.5, -2)), true),
                bin(PgType.PATH, "01 00000001 3ff8000000000000 c000000000000000"));
        assertEquals(new PgCircle(new PgPoint(0, 0), 1.5),
                bin(PgType.CIRCLE, "0000000000000000 0000000000000000 3ff8000000000000"));
    }

    @Test
    void binaryContainers() {
        assertEquals(Arrays.asList(1, null),
                bin(PgType.INT4_ARRAY, "00000001 00000001 00000017 00000002 00000001 00000004 00000001 ffffffff"));
        assertEquals(List.of(List.of(1, 2), List.of(3, 4)), bin(PgType.INT4_ARRAY,
                "00000002 00000000 00000017 00000002 00000001 00000002 00000001"
                        + " 00000004 00000001 00000004 00000002 00000004 00000003 00000004 00000004"));
        assertEquals(List.of(), bin(PgType.INT4_ARRAY, "00000000 00000000 00000017"));
        assertEquals(new PgRange<>(1, 10, true, false, false),
                bin(PgType.INT4RANGE, "02 00000004 00000001 00000004 0000000a"));
        assertEquals(new PgRange<>(null, 10, false, false, false), bin(PgType.INT4RANGE, "08 00000004 0000000a"));
        assertEquals(PgRange.emptyRange(), bin(PgType.INT4RANGE, "01"));
        assertEquals(List.of(new PgRange<>(1, 3, true, false, false)),
                bin(PgType.INT4MULTIRANGE, "00000001 00000011 02 00000004 00000001 00000004 00000003"));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("a", "1");
        h.put("b", null);
        assertEquals(h, bin(ValueType.hstore("hstore"), "00000002 00000001 61 00000001 31 00000001 62 ffffffff"));
        ValueType pair = ValueType.composite("pair", List.of("x", "label"),
                List.of(ValueType.builtin(PgType.INT8), ValueType.builtin(PgType.TEXT)));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("x", 5L);
        p.put("label", null);
        assertEquals(p, bin(pair, "00000002 00000014 00000008 0000000000000005 00000019 ffffffff"));
        assertEquals(new PgUnknownValue("geo", new byte[] {1, 2}), bin(ValueType.unknown("geo"), "0102"));
    }

    @Test
    void binaryTextSearch() {
        assertEquals("'a':1A 'b'", bin(PgType.TSVECTOR, "00000002 6100 0001 c001 6200 0000"));
        // Prefix order, right operand first: AND, NOT, 'b', 'a'.
        assertEquals("'a' & !'b'", bin(PgType.TSQUERY, "00000004 0202 0201 01000062 00 01000061 00"));
        // OR below AND needs parentheses: ('a' | 'b') & 'c' is stored AND, 'c', OR, 'b', 'a'.
        assertEquals("( 'a' | 'b' ) & 'c'",
                bin(PgType.TSQUERY, "00000005 0202 01000063 00 0203 01000062 00 01000061 00"));
        assertEquals("'a' <3> 'b':*A", bin(PgType.TSQUERY, "00000003 0204 0003 01080162 00 01000061 00"));
        assertEquals("", bin(PgType.TSQUERY, "00000000"));
    }

    @Test
    void textForms() throws Exception {
        assertEquals(new PgInterval(14, -3, 14_706_500_000L), text(PgType.INTERVAL, "1 year 2 mons -3 days +04:05:06.5"));
        assertEquals(new PgInterval(0, 0, -1_500_000L), text(PgType.INTERVAL, "-00:00:01.5"));
        assertEquals(new PgInterval(14, 3, 14_706_500_000L), text(PgType.INTERVAL, "P1Y2M3DT4H5M6.5S"));
        assertEquals(new PgInterval(-14, 0, -3_600_000_000L), text(PgType.INTERVAL, "@ 1 year 2 mons 1 hour ago"));
        assertEquals(PgInterval.INFINITY, text(PgType.INTERVAL, "infinity"));
        assertEquals(OffsetTime.of(13, 45, 0, 500_000_000, ZoneOffset.ofHoursMinutes(5, 30)),
                text(PgType.TIMETZ, "13:45:00.5+05:30"));
        assertEquals(new BigDecimal("-1234.56"), text(PgType.MONEY, "-$1,234.56"));
        assertEquals(new BigDecimal("-1.00"), text(PgType.MONEY, "($1.00)"));
        assertEquals(0x16B374D848L, text(PgType.PG_LSN, "16/B374D848"));
        assertEquals(4294967295L, text(PgType.XID, "4294967295"));
        assertEquals(new PgInet(v4(10, 0, 0, 0), 8, true), text(PgType.CIDR, "10.0.0.0/8"));
        assertEquals(new PgInet(v4(10, 0, 0, 1), 32, false), text(PgType.INET, "10.0.0.1"));
        byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff01020304");
        assertEquals(new PgInet(Inet6Address.getByAddress(null, mapped, -1), 128, false),
                text(PgType.INET, "::ffff:1.2.3.4"));
        assertEquals("2001:db8::1/64", text(PgType.INET, "2001:db8:0:0:0:0:0:1/64").toString());
        assertEquals(new PgLine(1, -1, 0), text(PgType.LINE, "{1,-1,0}"));
        assertEquals(new PgLineSegment(new PgPoint(0, 0), new PgPoint(1, 1)), text(PgType.LSEG, "[(0,0),(1,1)]"));
        assertEquals(new PgBox(new PgPoint(1, 1), new PgPoint(0, 0)), text(PgType.BOX, "(1,1),(0,0)"));
        assertEquals(new PgPath(List.of(new PgPoint(0, 0), new PgPoint(1e300, -0.5)), false),
                text(PgType.PATH, "[(0,0),(1e+300,-0.5)]"));
        assertEquals(new PgPolygon(List.of(new PgPoint(0, 0), new PgPoint(1, 1))), text(PgType.POLYGON, "((0,0),(1,1))"));
        assertEquals(new PgCircle(new PgPoint(0, 0), 1.5), text(PgType.CIRCLE, "<(0,0),1.5>"));
        assertEquals(List.of(new PgBox(new PgPoint(1, 1), new PgPoint(0, 0)), new PgBox(new PgPoint(2, 2), new PgPoint(1, 1))),
                text(PgType.BOX_ARRAY, "{(1,1),(0,0);(2,2),(1,1)}"));
    }

    @Test
    void textContainers() {
        assertEquals(new PgRange<>(LocalDateTime.of(2020, 1, 1, 0, 0), null, true, false, false),
                text(PgType.TSRANGE, "[\"2020-01-01 00:00:00\",)"));
        assertEquals(new PgRange<>(LocalDate.of(2020, 1, 1), LocalDate.MAX, true, false, false),
                text(PgType.DATERANGE, "[2020-01-01,infinity)"));
        assertEquals(PgRange.emptyRange(), text(PgType.NUMRANGE, "empty"));
        assertEquals(List.of(new PgRange<>(1, 3, true, false, false), new PgRange<>(5, null, true, false, false)),
                text(PgType.INT4MULTIRANGE, "{[1,3),[5,)}"));
        assertEquals(List.of(), text(PgType.INT4MULTIRANGE, "{}"));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("a", "1");
        h.put("b", null);
        h.put("c d", "x\"y");
        assertEquals(h, text(ValueType.hstore("hstore"), "\"a\"=>\"1\", \"b\"=>NULL, \"c d\"=>\"x\\\"y\""));
        ValueType pair = ValueType.composite("pair", List.of("x", "label"),
                List.of(ValueType.builtin(PgType.INT8), ValueType.builtin(PgType.TEXT)));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("x", 5L);
        p.put("label", "a \"b\" \\c");
        assertEquals(p, text(pair, "(5,\"a \"\"b\"\" \\\\c\")"));
        Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("x", null);
        empty.put("label", "");
        assertEquals(empty, text(pair, "(,\"\")"));
        assertEquals(List.of(p), text(ValueType.array("_pair", pair, ','), "{\"(5,\\\"a \\\"\\\"b\\\"\\\" \\\\\\\\c\\\")\"}"));
        assertEquals("anything", text(ValueType.unknown("geo"), "anything"));
    }

    @Test
    void resolutionThroughACatalog() {
        Map<Integer, TypeInfo> types = Map.of(
                20000, new TypeInfo(20000, "public", "posint", 'd', PgType.INT4, 0, ',', 0, List.of()),
                20001, new TypeInfo(20001, "public", "_posint", 'b', 0, 20000, ',', 0, List.of()),
                20002, new TypeInfo(20002, "public", "mood", 'e', 0, 0, ',', 0, List.of()),
                20003, new TypeInfo(20003, "ext", "citext", 'b', 0, 0, ',', 0, List.of()),
                20004, new TypeInfo(20004, "public", "pair", 'c', 0, 0, ',', 0,
                        List.of(new TypeInfo.Attribute("m", 20002), new TypeInfo.Attribute("n", 20001))),
                20005, new TypeInfo(20005, "public", "floatrange", 'r', 0, 0, ',', PgType.FLOAT8, List.of()));
        TypeCatalog catalog = new TypeCatalog() {
            @Override
            public java.util.Optional<TypeInfo> find(int oid) {
                return java.util.Optional.ofNullable(types.get(oid));
            }

            @Override
            public void forget(int oid) {
            }
        };
        assertEquals(List.of(1, 2), text(ValueType.resolve(20001, null, catalog), "{1,2}"));
        assertEquals("happy", text(ValueType.resolve(20002, null, catalog), "happy"));
        assertEquals("MiXed", bin(ValueType.resolve(20003, null, catalog), "4d69586564"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("m", "ok");
        p.put("n", List.of(7));
        assertEquals(p, text(ValueType.resolve(20004, null, catalog), "(ok,{7})"));
        assertEquals(new PgRange<>(1.5, 2.5, true, false, false), text(ValueType.resolve(20005, null, catalog), "[1.5,2.5)"));
        assertEquals(ValueType.Kind.HSTORE, ValueType.resolve(30000, "public.hstore", TypeCatalog.NONE).kind());
        assertEquals(ValueType.Kind.UNKNOWN, ValueType.resolve(30001, null, TypeCatalog.NONE).kind());
    }

    @Test
    void intervalIso() {
        assertEquals("P1Y2M3DT4H5M6.5S", new PgInterval(14, 3, 14_706_500_000L).toIso8601());
        assertEquals("PT0S", new PgInterval(0, 0, 0).toIso8601());
        assertEquals("P-1DT-0.000001S", new PgInterval(0, -1, -1).toIso8601());
        assertEquals(86_400_000_000L + 1, new PgInterval(0, 1, 1).toApproximateMicros());
    }
}
