package dev.pgoutput.transport.pgjdbc.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The types of {@link TypeCoverageIT}: a column name, the SQL type, edge values (SQL expressions; the first
 * is used for the edge row) and a seeded generator of random values.
 */
final class TypeCases {

    private TypeCases() {
    }

    record Case(String column, String sqlType, List<String> edges, Function<Random, String> random) {
    }

    /** Extensions and user-defined types the cases use. */
    static List<String> setup(int version) {
        return List.of(
                "CREATE EXTENSION citext",
                "CREATE EXTENSION hstore",
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'with space', 'quo\"te')",
                "CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)",
                "CREATE DOMAIN short_text AS varchar(20)",
                "CREATE TYPE inner_pair AS (x int8, label text)",
                "CREATE TYPE outer_comp AS (i int4, t text, ts timestamptz, tags text[], m mood, p inner_pair, "
                        + "n numeric)",
                "CREATE TYPE floatrange AS RANGE (subtype = float8)");
    }

    static List<Case> forVersion(int version) {
        List<Case> cases = new ArrayList<>();
        cases.add(c("bool", "bool", List.of("true", "false"), r -> Boolean.toString(r.nextBoolean())));
        cases.add(c("int2", "int2", List.of("-32768", "32767", "0"), r -> Integer.toString((short) r.nextInt())));
        cases.add(c("int4", "int4", List.of("-2147483648", "2147483647"), r -> Integer.toString(r.nextInt())));
        cases.add(c("int8", "int8", List.of("-9223372036854775808", "9223372036854775807"), r -> Long.toString(r.nextLong())));
        cases.add(c("oid", "oid", List.of("'4294967295'", "'0'"), r -> "'" + (r.nextLong() & 0xFFFF_FFFFL) + "'"));
        cases.add(c("xid", "xid", List.of("'4294967295'", "'3'"), r -> "'" + (r.nextLong() & 0xFFFF_FFFFL) + "'"));
        cases.add(c("cid", "cid", List.of("'4294967295'", "'0'"), r -> "'" + (r.nextLong() & 0xFFFF_FFFFL) + "'"));
        if (version >= 13) {
            cases.add(c("xid8", "xid8", List.of("'18446744073709551615'", "'0'"),
                    r -> "'" + Long.toUnsignedString(r.nextLong()) + "'"));
        }
        cases.add(c("float4", "float4", List.of("'NaN'", "'Infinity'", "'-Infinity'", "'-0'", "'1.17549435e-38'",
                "'3.4028235e38'", "'1e-45'"), r -> "'" + Float.intBitsToFloat(r.nextInt()) + "'"));
        cases.add(c("float8", "float8", List.of("'NaN'", "'Infinity'", "'-Infinity'", "'-0'", "'4.9e-324'",
                "'1.7976931348623157e308'", "'0.1'"), r -> "'" + Double.longBitsToDouble(r.nextLong()) + "'"));
        List<String> numericEdges = new ArrayList<>(List.of("'NaN'", "'0'", "'0.000'", "'-0.0001'", "'1e100'",
                "'123456789012345678901234567890.123456789012345678901234567890'", "'-99999999.99990000'",
                "'0.00000000000000000000000000000000000000001'"));
        if (version >= 14) {
            numericEdges.addAll(List.of("'Infinity'", "'-Infinity'"));
        }
        cases.add(c("numeric", "numeric", numericEdges, TypeCases::randomNumeric));
        cases.add(c("numeric_10_2", "numeric(10,2)", List.of("'-99999999.99'", "'0.5'"),
                r -> (r.nextInt(2000000) - 1000000) / 100.0 + ""));
        cases.add(c("money", "money", List.of("'-92233720368547758.08'", "'92233720368547758.07'", "'0'"),
                r -> "'" + (r.nextInt(2000000) - 1000000) / 100.0 + "'"));
        cases.add(c("char", "\"char\"", List.of("'a'", "''", "'\"'"), r -> "'" + (char) ('a' + r.nextInt(26)) + "'"));
        cases.add(c("bpchar", "char(6)", List.of("'ab'", "''", "'a,b{}'"), r -> literal(randomText(r, 6))));
        cases.add(c("varchar", "varchar(30)", List.of("''", "'NULL'", "' x '"), r -> literal(randomText(r, 30))));
        cases.add(c("text", "text", textEdges(), r -> literal(randomText(r, 40))));
        cases.add(c("name", "name", List.of("'pg_catalog'", "'with space'"), r -> literal(randomText(r, 20))));
        cases.add(c("citext", "citext", List.of("'MiXeD'", "''"), r -> literal(randomText(r, 20))));
        cases.add(c("bytea", "bytea", List.of("'\\x'", "'\\x00ff7f80'", "'\\x5c22'"), TypeCases::randomBytea));
        cases.add(c("json", "json", List.of("'{\"a\": [1, 2.5, \"x\"],  \"b\" : null}'", "'[]'", "'\"\\u00e9\"'"),
                r -> "'{\"k\": " + r.nextInt() + ", \"s\": " + jsonString(randomText(r, 10)) + "}'"));
        cases.add(c("jsonb", "jsonb", List.of("'{\"b\": [1, 2.50, \"x\"], \"a\": {\"c\": null}}'", "'1e400'"),
                r -> "'{\"k\": " + r.nextInt() + ", \"s\": " + jsonString(randomText(r, 10)) + "}'"));
        cases.add(c("jsonpath", "jsonpath", List.of("'$.a[*] ? (@ > 1)'", "'strict $.\"x y\"'"),
                r -> "'$.k" + r.nextInt(100) + "'"));
        cases.add(c("xml", "xml", List.of("'<a b=\"1\">t &amp; u</a>'", "'plain'"),
                r -> "'<v n=\"" + r.nextInt() + "\">" + r.nextInt() + "</v>'"));
        cases.add(c("uuid", "uuid", List.of("'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"),
                r -> "'" + new java.util.UUID(r.nextLong(), r.nextLong()) + "'"));
        cases.add(c("date", "date", List.of("'infinity'", "'-infinity'", "'4713-01-01 BC'", "'5874897-12-31'",
                "'2000-02-29'", "'0001-01-01'", "'0001-12-31 BC'"), r -> "'" + java.time.LocalDate.ofEpochDay(
                        r.nextInt(3_000_000) - 700_000) + "'"));
        cases.add(c("time", "time", List.of("'24:00:00'", "'00:00:00'", "'23:59:59.999999'"),
                r -> "'" + java.time.LocalTime.ofNanoOfDay((r.nextLong() & Long.MAX_VALUE) % 86_400_000_000L * 1000) + "'"));
        cases.add(c("timetz", "timetz", List.of("'13:45:00.123456+05:30'", "'00:00:00-12'", "'24:00:00+14'"),
                r -> "'" + java.time.LocalTime.ofNanoOfDay((r.nextLong() & Long.MAX_VALUE) % 86_400_000_000L * 1000)
                        + String.format("%+03d:%02d", r.nextInt(25) - 12, r.nextInt(4) * 15) + "'"));
        cases.add(c("timestamp", "timestamp", List.of("'infinity'", "'-infinity'", "'4713-01-01 00:00:00 BC'",
                "'294276-12-31 23:59:59.999999'", "'2000-01-01 00:00:00.000001'"), TypeCases::randomTimestamp));
        cases.add(c("timestamptz", "timestamptz", List.of("'infinity'", "'-infinity'", "'4713-01-01 00:00:00+00 BC'",
                "'294276-12-31 23:59:59.999999+00'", "'1999-12-31 23:59:59.5-09:30'"),
                r -> "'" + randomTimestamp(r).replace("'", "") + "+0" + r.nextInt(10) + "'"));
        List<String> intervalEdges = new ArrayList<>(List.of("'1 year 2 mons 3 days 04:05:06.789'",
                "'-1 days +02:03:00'", "'0'", "'-178000000 years'", "'178000000 years'", "'1 microsecond'",
                "'-2147483648 days'", "'1000000:00:00.000001'"));
        if (version >= 17) {
            intervalEdges.addAll(List.of("'infinity'", "'-infinity'"));
        }
        cases.add(c("interval", "interval", intervalEdges, r -> "'" + (r.nextInt(2000) - 1000) + " mons "
                + (r.nextInt(2000) - 1000) + " days " + (r.nextBoolean() ? "-" : "") + r.nextInt(10000) + ":"
                + String.format("%02d:%02d.%06d", r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000)) + "'"));
        cases.add(c("inet", "inet", List.of("'192.168.0.1'", "'192.168.0.1/24'", "'::1'", "'::ffff:1.2.3.4'",
                "'2001:db8::1/64'", "'fe80::1:2:3:4'", "'0.0.0.0/0'"), TypeCases::randomInet));
        cases.add(c("cidr", "cidr", List.of("'10.0.0.0/8'", "'2001:db8::/32'", "'192.168.1.0/24'", "'::/0'"),
                r -> "'" + r.nextInt(256) + "." + r.nextInt(256) + ".0.0/16'"));
        cases.add(c("macaddr", "macaddr", List.of("'08:00:2b:01:02:03'", "'ff:ff:ff:ff:ff:ff'"),
                r -> "'" + mac(r, 6) + "'"));
        cases.add(c("macaddr8", "macaddr8", List.of("'08:00:2b:01:02:03:04:05'"), r -> "'" + mac(r, 8) + "'"));
        cases.add(c("bit", "bit(10)", List.of("B'1010101010'", "B'0000000000'"), r -> "B'" + bits(r, 10) + "'"));
        cases.add(c("varbit", "varbit", List.of("B''", "B'1'", "B'111111111'"), r -> "B'" + bits(r, r.nextInt(40)) + "'"));
        cases.add(c("tsvector", "tsvector", List.of("'a:1A fat:2B,4C cat:5D'", "$$'it''s' 'back\\slash' 'x y'$$",
                "''"), r -> "'w" + r.nextInt(100) + ":" + (1 + r.nextInt(100)) + " v" + r.nextInt(9) + "'"));
        cases.add(c("tsquery", "tsquery", List.of("'fat & (rat | !cat)'", "'a <-> b'", "'a <3> b'",
                "'sup:*AB & !c'", "'!(a & b)'", "'(a | b) & c'", "'a <-> (b <-> c)'", "$$'it''s' | x:D$$", "''"),
                r -> "'w" + r.nextInt(100) + (r.nextBoolean() ? " & " : " | ") + "!v" + r.nextInt(9) + "'"));
        cases.add(c("point", "point", List.of("'(1.5,-2)'", "'(1e300,-0.1)'"), r -> "'(" + d(r) + "," + d(r) + ")'"));
        cases.add(c("line", "line", List.of("'{1,-1,0}'", "'{0,1,2.5}'"), r -> "'{" + d(r) + ",1," + d(r) + "}'"));
        cases.add(c("lseg", "lseg", List.of("'[(0,0),(1,1)]'"), r -> "'[(" + d(r) + "," + d(r) + "),(" + d(r) + "," + d(r) + ")]'"));
        cases.add(c("box", "box", List.of("'(1,1),(0,0)'"), r -> "'(" + d(r) + "," + d(r) + "),(" + d(r) + "," + d(r) + ")'"));
        cases.add(c("path", "path", List.of("'[(0,0),(1,1),(2,0)]'", "'((0,0),(1,1))'"),
                r -> r.nextBoolean() ? "'[(" + d(r) + "," + d(r) + "),(" + d(r) + "," + d(r) + ")]'"
                        : "'((" + d(r) + "," + d(r) + "),(" + d(r) + "," + d(r) + "))'"));
        cases.add(c("polygon", "polygon", List.of("'((0,0),(1,1),(1,0))'"),
                r -> "'((" + d(r) + "," + d(r) + "),(" + d(r) + "," + d(r) + "))'"));
        cases.add(c("circle", "circle", List.of("'<(0,0),1.5>'"), r -> "'<(" + d(r) + "," + d(r) + ")," + Math.abs(d(r)) + ">'"));
        cases.add(c("int4range", "int4range", List.of("'[1,10)'", "'empty'", "'(,5]'", "'[3,)'", "'(,)'"),
                r -> "int4range(" + r.nextInt(100) + "," + (100 + r.nextInt(100)) + ")"));
        cases.add(c("int8range", "int8range", List.of("'[-9223372036854775808,9223372036854775807)'", "'empty'"),
                r -> "int8range(" + r.nextInt() + "," + (3_000_000_000L + r.nextInt(100)) + ")"));
        cases.add(c("numrange", "numrange", List.of("'[1.5,2.25]'", "'(,0.000)'"),
                r -> "numrange(" + r.nextInt(100) + ".5," + (100 + r.nextInt(100)) + ".125, '(]')"));
        cases.add(c("tsrange", "tsrange", List.of("'[\"2020-01-01 00:00:00\",\"2020-02-01 00:00:00\")'",
                "'[2020-01-01,infinity)'", "'[-infinity,)'"), r -> "tsrange(" + randomTimestamp(r) + ", NULL)"));
        cases.add(c("tstzrange", "tstzrange", List.of("'[2020-01-01 00:00+02,2020-01-02 00:00+02]'", "'empty'"),
                r -> "tstzrange(NULL, " + randomTimestamp(r) + ")"));
        cases.add(c("daterange", "daterange", List.of("'[2020-01-01,2020-02-01)'", "'[-infinity,2020-01-01)'"),
                r -> "daterange('2000-01-01'::date + " + r.nextInt(1000) + ", '2010-01-01')"));
        cases.add(c("floatrange", "floatrange", List.of("'[1.5,2.5)'", "'empty'"),
                r -> "floatrange(" + r.nextInt(100) + ".25, 200.5)"));
        if (version >= 14) {
            cases.add(c("int4multirange", "int4multirange", List.of("'{}'", "'{[1,3),[5,7)}'", "'{(,2),[8,)}'"),
                    r -> "int4multirange(int4range(1, 5), int4range(" + (10 + r.nextInt(10)) + ", 40))"));
            cases.add(c("int8multirange", "int8multirange", List.of("'{[1,3)}'"), r -> "'{[" + r.nextInt(5) + ",9)}'"));
            cases.add(c("nummultirange", "nummultirange", List.of("'{[1.5,3), [4,5.25]}'"), r -> "'{[" + r.nextInt(5) + ".5,9)}'"));
            cases.add(c("datemultirange", "datemultirange", List.of("'{[2020-01-01,2020-02-01)}'"),
                    r -> "'{[2020-01-0" + (1 + r.nextInt(9)) + ",infinity)}'"));
            cases.add(c("tsmultirange", "tsmultirange", List.of("'{[2020-01-01,2020-02-01)}'"),
                    r -> "'{[2020-01-01 10:00:0" + r.nextInt(10) + ",)}'"));
            cases.add(c("tstzmultirange", "tstzmultirange", List.of("'{[2020-01-01 00:00+05,2020-02-01)}'"),
                    r -> "'{[2020-01-01 10:00:0" + r.nextInt(10) + "+00,)}'"));
        }
        cases.add(c("pg_lsn", "pg_lsn", List.of("'0/0'", "'FFFFFFFF/FFFFFFFF'", "'16/B374D848'"),
                r -> "'" + Long.toHexString(r.nextInt() & 0xFFFFFFFFL).toUpperCase() + "/" + Long.toHexString(r.nextInt() & 0xFFFFFFFFL).toUpperCase() + "'"));
        cases.add(c("mood", "mood", List.of("'with space'", "'quo\"te'"),
                r -> "'" + List.of("sad", "ok", "happy").get(r.nextInt(3)) + "'"));
        cases.add(c("posint", "posint", List.of("2147483647", "1"), r -> Integer.toString(1 + r.nextInt(1000))));
        cases.add(c("short_text", "short_text", List.of("'a,b'", "''"), r -> literal(randomText(r, 20))));
        cases.add(c("inner_pair", "inner_pair", List.of("ROW(NULL, NULL)", "ROW(-1, '')", "ROW(1, 'a \"b\" (c), \\d')"),
                r -> "ROW(" + r.nextLong() + ", " + literal(randomText(r, 10)) + ")"));
        cases.add(c("outer_comp", "outer_comp", List.of(
                "ROW(1, 'x y', '2020-01-01 00:00+00', ARRAY['a', NULL, 'b,c'], 'happy', ROW(5, 'in'), 1.50)"),
                r -> "ROW(" + r.nextInt() + ", " + literal(randomText(r, 8)) + ", " + randomTimestamp(r)
                        + ", ARRAY[" + literal(randomText(r, 5)) + "], 'sad', ROW(" + r.nextInt() + ", NULL), "
                        + randomNumeric(r) + ")"));
        cases.add(c("hstore", "hstore", List.of("'\"a\"=>\"1\", \"b\"=>NULL, \"c d\"=>\"x\\\"y\"'", "''"),
                r -> "hstore(" + literal(randomText(r, 6)) + ", " + literal(randomText(r, 6)) + ")"));
        return cases;
    }

    private static Case c(String column, String sqlType, List<String> edges, Function<Random, String> random) {
        return new Case(column, sqlType, edges, random);
    }

    private static List<String> textEdges() {
        return List.of("''", "'NULL'", "'héllo ☃ 😀'", "'quote '' and \"double\" and \\back'", "'{a,b}'",
                "'(1,2)'", "' lead and trail '", "'tab\tnew\nline'");
    }

    private static final String ALPHABET = "abcXYZ 0129,;{}()[]\"'\\é☃😀\t=>";

    private static String randomText(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder sb = new StringBuilder();
        int[] cps = ALPHABET.codePoints().toArray();
        while (sb.codePointCount(0, sb.length()) < n) {
            sb.appendCodePoint(cps[r.nextInt(cps.length)]);
        }
        // char(n) and varchar(n) count characters; trailing spaces of char(n) are not significant anyway.
        return sb.toString();
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else if (ch == '\'') {
                sb.append("''");
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    private static String randomNumeric(Random r) {
        StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
        int intDigits = 1 + r.nextInt(30);
        for (int i = 0; i < intDigits; i++) {
            sb.append(r.nextInt(10));
        }
        int scale = r.nextInt(25);
        if (scale > 0) {
            sb.append('.');
            for (int i = 0; i < scale; i++) {
                sb.append(r.nextInt(10));
            }
        }
        return "'" + sb + "'";
    }

    private static String randomBytea(Random r) {
        byte[] b = new byte[r.nextInt(40)];
        r.nextBytes(b);
        StringBuilder sb = new StringBuilder("'\\x");
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.append("'").toString();
    }

    private static String randomTimestamp(Random r) {
        long seconds = r.nextLong() % 20_000_000_000L;
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(seconds, r.nextInt(1_000_000) * 1000,
                java.time.ZoneOffset.UTC);
        int year = t.getYear();
        String date = year <= 0 ? String.format("%04d", 1 - year) + t.toString().substring(t.toString().indexOf('-', 1))
                : t.toString();
        return "'" + date.replace('T', ' ') + (year <= 0 ? " BC" : "") + "'";
    }

    private static String randomInet(Random r) {
        if (r.nextBoolean()) {
            return "'" + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "/"
                    + (8 + r.nextInt(25)) + "'";
        }
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < 8; i++) {
            sb.append(i > 0 ? ":" : "").append(Integer.toHexString(r.nextInt(4) == 0 ? 0 : r.nextInt(65536)));
        }
        return sb.append("/").append(64 + r.nextInt(65)).append("'").toString();
    }

    private static String mac(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ":" : "").append(String.format("%02x", r.nextInt(256)));
        }
        return sb.toString();
    }

    private static String bits(Random r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = r.nextBoolean() ? '1' : '0';
        }
        return new String(c);
    }

    private static double d(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(100);
            case 1 -> r.nextGaussian() * 1e6;
            case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL) * (r.nextBoolean() ? 1 : -1);
            default -> r.nextDouble();
        };
    }

    static List<String> columnsOf(List<Case> cases) {
        return Arrays.asList(cases.stream().map(Case::column).toArray(String[]::new));
    }
}
