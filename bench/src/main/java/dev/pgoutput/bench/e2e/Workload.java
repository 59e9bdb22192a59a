package dev.pgoutput.bench.e2e;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end-to-end workloads of issue 6, each at a scale (1.0 = the sizes below). Every workload has its own
 * table and publication, so the slots of one workload see only its changes.
 *
 * <ul>
 *   <li>W1: 1,000,000 rows of {@code (bigint key, text, numeric(12,2), timestamptz, boolean, jsonb)} with
 *       {@code REPLICA IDENTITY FULL}, inserted in 10,000-row transactions; then 10 % updated and 10 %
 *       deleted, one transaction each (1.2 M events; the JMH corpus w1-* is the same at 1 %);</li>
 *   <li>W2: the same table shape, 1,000,000 rows in one transaction (Debezium's own benchmark case);</li>
 *   <li>W3: 200,000 single-row transactions (a server-side loop that commits after every row);</li>
 *   <li>W4: 200,000 rows of a 50-column table of mixed types in 10,000-row transactions.</li>
 * </ul>
 */
public enum Workload {

    /** Inserts, then updates and deletes, on a FULL replica identity table. */
    W1("1,000,000 rows (6 columns, REPLICA IDENTITY FULL) in 10,000-row transactions, then 10 % updated and 10 % deleted") {
        @Override
        void create(Connection c) throws SQLException {
            createSixColumnTable(c, "w1");
        }

        @Override
        long write(Connection c, double scale) throws SQLException {
            int rows = rows(1_000_000, scale);
            for (int first = 1; first <= rows; first += 10_000) {
                execute(c, insertSixColumns("w1", first, Math.min(rows, first + 9_999)));
            }
            int updated = execute(c, updateTenPercent("w1"));
            int deleted = execute(c, deleteTenPercent("w1"));
            return (long) rows + updated + deleted;
        }
    },

    /** One large transaction. */
    W2("1,000,000 rows (6 columns) in one transaction") {
        @Override
        void create(Connection c) throws SQLException {
            createSixColumnTable(c, "w2");
        }

        @Override
        long write(Connection c, double scale) throws SQLException {
            int rows = rows(1_000_000, scale);
            execute(c, insertSixColumns("w2", 1, rows));
            return rows;
        }
    },

    /** Many tiny transactions. */
    W3("200,000 single-row transactions") {
        @Override
        void create(Connection c) throws SQLException {
            execute(c, "CREATE TABLE w3 (id bigint PRIMARY KEY, name text, amount numeric(12,2), at timestamptz)");
        }

        @Override
        long write(Connection c, double scale) throws SQLException {
            int rows = rows(200_000, scale);
            // A procedure-style DO block may COMMIT (PostgreSQL 11+): one transaction per row without a
            // network round trip per row, so the workload itself stays fast.
            execute(c, "DO $$ BEGIN FOR g IN 1.." + rows + " LOOP "
                    + "INSERT INTO w3 VALUES (g, 'row ' || g, g % 10000, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second'); "
                    + "COMMIT; END LOOP; END $$");
            return rows;
        }
    },

    /** A wide table. */
    W4("200,000 rows of a 50-column table of mixed types in 10,000-row transactions") {
        @Override
        void create(Connection c) throws SQLException {
            List<String> columns = new ArrayList<>();
            columns.add("id bigint PRIMARY KEY");
            for (int i = 1; i < 50; i++) {
                columns.add("c" + i + " " + WIDE_KINDS[(i - 1) % WIDE_KINDS.length][0]);
            }
            execute(c, "CREATE TABLE w4 (" + String.join(", ", columns) + ")");
        }

        @Override
        long write(Connection c, double scale) throws SQLException {
            int rows = rows(200_000, scale);
            List<String> values = new ArrayList<>();
            values.add("g");
            for (int i = 1; i < 50; i++) {
                values.add(WIDE_KINDS[(i - 1) % WIDE_KINDS.length][1]);
            }
            String select = String.join(", ", values);
            for (int first = 1; first <= rows; first += 10_000) {
                execute(c, "INSERT INTO w4 SELECT " + select + " FROM generate_series(" + first + ", "
                        + Math.min(rows, first + 9_999) + ") g");
            }
            return rows;
        }
    };

    /** W4's column types and the expression that fills each, cycled over its 49 non-key columns. */
    private static final String[][] WIDE_KINDS = {
        {"int", "g % 1000"},
        {"bigint", "g::bigint * 1000003"},
        {"text", "'value ' || g"},
        {"numeric(14,4)", "(g % 100000) / 7.0"},
        {"timestamptz", "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute'"},
        {"boolean", "g % 2 = 0"},
        {"double precision", "g / 3.0"},
        {"uuid", "md5(g::text)::uuid"},
        {"date", "date '2024-01-01' + (g % 3650)"},
        {"jsonb", "jsonb_build_object('g', g)"},
    };

    private final String description;

    Workload(String description) {
        this.description = description;
    }

    /** What the workload writes, at scale 1. */
    public String description() {
        return description;
    }

    /** The table (and publication) name of this workload. */
    String table() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Creates the table; the publication and the slots come next, before {@link #write}. */
    abstract void create(Connection c) throws SQLException;

    /** Writes the changes (autocommit) and returns how many change events they make. */
    abstract long write(Connection c, double scale) throws SQLException;

    /** The publication of this workload's table. */
    String publication() {
        return table() + "_pub";
    }

    static int rows(int atScaleOne, double scale) {
        return Math.max(10, (int) Math.round(atScaleOne * scale));
    }

    static void createSixColumnTable(Connection c, String table) throws SQLException {
        execute(c, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text, amount numeric(12,2), "
                + "at timestamptz, active boolean, doc jsonb)");
        execute(c, "ALTER TABLE " + table + " REPLICA IDENTITY FULL");
    }

    /** W1's update: every tenth row (and the JMH corpus w1-*'s). */
    public static String updateTenPercent(String table) {
        return "UPDATE " + table + " SET amount = amount + 1, active = NOT active, doc = doc || '{\"updated\": true}' "
                + "WHERE id % 10 = 0";
    }

    /** W1's delete: every tenth row, others than the updated ones. */
    public static String deleteTenPercent(String table) {
        return "DELETE FROM " + table + " WHERE id % 10 = 5";
    }

    /** The rows of W1 and W2 (and of the JMH corpus w1-*): ids {@code first..last}. */
    public static String insertSixColumns(String table, int first, int last) {
        return "INSERT INTO " + table + " SELECT g, 'customer ' || g || ' ' || md5(g::text), "
                + "round((g * 12.345) % 100000, 2), timestamptz '2024-01-01 00:00:00+00' + g * interval '37 seconds', "
                + "g % 3 = 0, jsonb_build_object('id', g, 'kind', 'order', 'tags', jsonb_build_array('a', 'b'), "
                + "'score', g % 100) FROM generate_series(" + first + ", " + last + ") g";
    }

    static int execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            return Math.max(0, s.getUpdateCount());
        }
    }
}
