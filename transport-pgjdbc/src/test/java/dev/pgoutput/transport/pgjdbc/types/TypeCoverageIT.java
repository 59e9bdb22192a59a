package dev.pgoutput.transport.pgjdbc.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.ValueForm;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.types.ValueDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every supported type, and an array of each, on every server version that has it: rows generated from a
 * seed (edge values first) are inserted, updated and deleted, and each value read from the stream, with
 * both decoders and both tuple formats (binary on 14+), must equal the value a plain {@code SELECT} reads
 * back. The {@code SELECT}'s text form is converted with the text conversion; binary-format streams thus
 * check the binary conversions against the text ones on live data. A few types are also checked against
 * pgjdbc's own typed getters ({@link JdbcTypedCheck}).
 *
 * <p>One slot per decoder and format is created before the workload, so each version runs the workload
 * once. The seed is printed; {@code -Dtypes.seed=...} repeats a run.
 */
class TypeCoverageIT {

    @RegisterExtension
    static final PostgresExtension PG12 = PostgresExtension.version(12);
    @RegisterExtension
    static final PostgresExtension PG13 = PostgresExtension.version(13);
    @RegisterExtension
    static final PostgresExtension PG14 = PostgresExtension.version(14);
    @RegisterExtension
    static final PostgresExtension PG15 = PostgresExtension.version(15);
    @RegisterExtension
    static final PostgresExtension PG16 = PostgresExtension.version(16);
    @RegisterExtension
    static final PostgresExtension PG17 = PostgresExtension.version(17);
    @RegisterExtension
    static final PostgresExtension PG18 = PostgresExtension.version(18);

    private static final int RANDOM_ROWS = 5;

    private static PostgresServer server(int major) {
        return switch (major) {
            case 12 -> PG12.server();
            case 13 -> PG13.server();
            case 14 -> PG14.server();
            case 15 -> PG15.server();
            case 16 -> PG16.server();
            case 17 -> PG17.server();
            default -> PG18.server();
        };
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {12, 13, 14, 15, 16, 17, 18})
    void everyTypeArrivesAsSelectReadsIt(int major) throws Exception {
        long seed = Long.getLong("types.seed", System.nanoTime());
        System.out.println("TypeCoverageIT PostgreSQL " + major + " seed " + seed);
        PostgresServer server = server(major);
        int version = server.majorVersion();
        String db = "types_" + ProcessHandle.current().pid() + "_" + major;
        try (Connection admin = server.connect(); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db);
        }
        List<TypeCases.Case> cases = TypeCases.forVersion(version);
        try (Connection c = server.connect(db)) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                for (String ddl : TypeCases.setup(version)) {
                    s.execute(ddl);
                }
                s.execute(createTable(cases));
                s.execute("ALTER TABLE all_types REPLICA IDENTITY FULL");
                s.execute("CREATE PUBLICATION types_pub FOR TABLE all_types");
            }
            List<String[]> readers = new ArrayList<>();
            for (String decoder : List.of("bytebuffer", "panama")) {
                for (boolean binary : version >= 14 ? List.of(false, true) : List.of(false)) {
                    String slot = "types_" + decoder + (binary ? "_binary" : "_text");
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
                    }
                    readers.add(new String[] {decoder, Boolean.toString(binary), slot});
                }
            }

            Random random = new Random(seed);
            int rows = RANDOM_ROWS + 1;
            try (Statement s = c.createStatement()) {
                for (int id = 0; id < rows; id++) {
                    s.execute(insert(cases, id, random));
                }
            }
            Map<Integer, Map<String, String>> inserted = snapshot(c, cases);
            Map<Integer, Map<String, Object>> typedInserted = JdbcTypedCheck.readNow(c);
            try (Statement s = c.createStatement()) {
                for (int id = 0; id < rows; id++) {
                    s.execute(update(cases, id, random));
                }
            }
            Map<Integer, Map<String, String>> updated = snapshot(c, cases);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM all_types");
            }

            for (String[] r : readers) {
                String context = "PostgreSQL " + version + ", decoder " + r[0] + ", binary " + r[1] + ", seed " + seed;
                try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                        .host(server.host()).port(server.port()).database(db)
                        .user(server.user()).password(server.password())
                        .publication("types_pub").slot(r[2])
                        .decoder(r[0]).binary(Boolean.parseBoolean(r[1]))
                        .build()) {
                    List<ChangeEvent> events = take(reader, 3 * rows, context);
                    for (int i = 0; i < events.size(); i++) {
                        ChangeEvent e = events.get(i);
                        Op expectedOp = i < rows ? Op.CREATE : i < 2 * rows ? Op.UPDATE : Op.DELETE;
                        assertEquals(expectedOp, e.op(), context);
                        switch (e.op()) {
                            case CREATE -> {
                                check((Row) e.after(), inserted, context + ", insert");
                                JdbcTypedCheck.check((Row) e.after(), typedInserted, context + ", insert");
                            }
                            case UPDATE -> {
                                check((Row) e.before(), inserted, context + ", update before");
                                check((Row) e.after(), updated, context + ", update after");
                            }
                            default -> check((Row) e.before(), updated, context + ", delete");
                        }
                    }
                    if (Boolean.parseBoolean(r[1])) {
                        assertBinaryWasUsed((Row) events.get(0).after(), context);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                for (String[] r : readers) {
                    s.execute("SELECT pg_drop_replication_slot('" + r[2] + "')");
                }
            }
        }
        try (Connection admin = server.connect(); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
        }
    }

    private static void assertBinaryWasUsed(Row row, String context) {
        int binary = 0;
        for (int i = 0; i < row.size(); i++) {
            binary += row.form(i) == ValueForm.BINARY ? 1 : 0;
        }
        if (binary < row.size() / 2) {
            throw new AssertionError(context + ": only " + binary + " of " + row.size() + " columns were binary");
        }
    }

    private static String createTable(List<TypeCases.Case> cases) {
        StringBuilder sb = new StringBuilder("CREATE TABLE all_types (id int PRIMARY KEY");
        for (TypeCases.Case c : cases) {
            sb.append(", c_").append(c.column()).append(' ').append(c.sqlType());
            sb.append(", a_").append(c.column()).append(' ').append(c.sqlType()).append("[]");
        }
        return sb.append(')').toString();
    }

    private static String insert(List<TypeCases.Case> cases, int id, Random random) {
        StringBuilder cols = new StringBuilder("id");
        StringBuilder vals = new StringBuilder(Integer.toString(id));
        for (TypeCases.Case c : cases) {
            cols.append(", c_").append(c.column()).append(", a_").append(c.column());
            vals.append(", ").append(scalar(c, id, random)).append(", ").append(array(c, id, random));
        }
        return "INSERT INTO all_types (" + cols + ") VALUES (" + vals + ")";
    }

    private static String update(List<TypeCases.Case> cases, int id, Random random) {
        StringBuilder sb = new StringBuilder("UPDATE all_types SET ");
        for (int i = 0; i < cases.size(); i++) {
            TypeCases.Case c = cases.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            // Row 0 goes from the edge values to random ones; the others get fresh random values.
            sb.append("c_").append(c.column()).append(" = ").append(scalar(c, id + 1, random));
            sb.append(", a_").append(c.column()).append(" = ").append(array(c, id + 1, random));
        }
        return sb.append(" WHERE id = ").append(id).toString();
    }

    /** Row 0 carries the edge values (cycled through one per row where there are several), the rest random. */
    private static String scalar(TypeCases.Case c, int id, Random random) {
        if (id == 0 || random.nextInt(4) == 0) {
            List<String> edges = c.edges();
            String v = edges.get(id == 0 ? 0 : random.nextInt(edges.size()));
            return v == null ? "NULL" : "(" + v + ")::" + c.sqlType();
        }
        return "(" + c.random().apply(random) + ")::" + c.sqlType();
    }

    private static String element(TypeCases.Case c, Random random) {
        if (random.nextInt(3) == 0) {
            List<String> edges = c.edges();
            String v = edges.get(random.nextInt(edges.size()));
            return v == null ? "NULL" : "(" + v + ")::" + c.sqlType();
        }
        return "(" + c.random().apply(random) + ")::" + c.sqlType();
    }

    private static String array(TypeCases.Case c, int id, Random random) {
        String type = c.sqlType() + "[]";
        int shape = id == 0 ? 0 : random.nextInt(5);
        return switch (shape) {
            case 0 -> "ARRAY[" + element(c, random) + ", NULL, " + element(c, random) + "]::" + type;
            case 1 -> "'{}'::" + type;
            case 2 -> "ARRAY[[" + element(c, random) + ", " + element(c, random) + "], [NULL, "
                    + element(c, random) + "]]::" + type;
            case 3 -> "('[3:4]=' || (ARRAY[" + element(c, random) + ", " + element(c, random) + "]::" + type
                    + ")::text)::" + type;
            default -> "NULL";
        };
    }

    /** Every row's columns as their text form, read with a plain SELECT. */
    private static Map<Integer, Map<String, String>> snapshot(Connection c, List<TypeCases.Case> cases)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id");
        for (TypeCases.Case k : cases) {
            // concat() writes each value with its type's output function, as pgoutput does; a ::text cast
            // would not for bool, char(n) and inet, whose casts to text have functions of their own.
            for (String prefix : new String[] {"c_", "a_"}) {
                String col = prefix + k.column();
                sql.append(", CASE WHEN num_nulls(").append(col).append(") = 1 THEN NULL ELSE concat(").append(col)
                        .append(") END");
            }
        }
        sql.append(" FROM all_types ORDER BY id");
        Map<Integer, Map<String, String>> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                int col = 2;
                for (TypeCases.Case k : cases) {
                    row.put("c_" + k.column(), rs.getString(col++));
                    row.put("a_" + k.column(), rs.getString(col++));
                }
                out.put(rs.getInt(1), row);
            }
        }
        return out;
    }

    private static void check(Row row, Map<Integer, Map<String, String>> expected, String context) {
        assertNotNull(row, context);
        int id = (Integer) row.get("id");
        Map<String, String> texts = expected.get(id);
        assertNotNull(texts, context + ": unexpected id " + id);
        for (int i = 0; i < row.size(); i++) {
            ColumnDescriptor column = row.column(i);
            if (column.name().equals("id")) {
                continue;
            }
            Object actual = row.value(i);
            String text = texts.get(column.name());
            Object want = text == null ? null : ValueDecoder.fromText(column.valueType(),
                    text.getBytes(StandardCharsets.UTF_8), 0, text.getBytes(StandardCharsets.UTF_8).length);
            if (!sameMeaning(want, actual)) {
                throw new AssertionError(context + ", id " + id + ", column " + column.name() + " ("
                        + column.typeName() + ", " + column.valueType() + ", form " + row.form(i)
                        + "): SELECT gave '" + text + "' = " + show(want) + ", stream gave " + show(actual));
            }
        }
    }

    static boolean sameMeaning(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameMeaning(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!List.copyOf(x.keySet()).equals(List.copyOf(y.keySet()))) {
                return false;
            }
            for (Object k : x.keySet()) {
                if (!sameMeaning(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof byte[] b) {
            return "byte[" + b.length + "]" + Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 16)));
        }
        return v + " (" + v.getClass().getSimpleName() + ")";
    }

    private static List<ChangeEvent> take(LogicalReplicationReader reader, int count, String context) {
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (events.size() < count) {
            ChangeEvent e = reader.poll(Duration.ofMillis(200));
            if (e != null) {
                events.add(e);
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError(context + ": expected " + count + " events, got " + events.size());
            }
        }
        return events;
    }
}
