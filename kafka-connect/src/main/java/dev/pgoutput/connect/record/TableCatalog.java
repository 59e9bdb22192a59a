package dev.pgoutput.connect.record;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads what pgoutput's Relation message lacks from the catalog: each column's NOT NULL, default expression,
 * type modifier (a domain's base modifier), base type and enum labels, and the key columns (the primary key, or
 * the replica identity index), over an ordinary JDBC connection opened per read. {@link RecordMaker} caches the
 * result per table and reads again when the stream shows the table changed.
 */
final class TableCatalog {

    private static final String COLUMNS = """
            SELECT a.attname, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def, a.atttypid,
                   format_type(a.atttypid, NULL) AS typname,
                   CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
                   bt.oid AS baseoid, bt.typname AS basename,
                   (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e
                     WHERE e.enumtypid IN (bt.oid, bt.typelem)) AS labels
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";

    /** The primary key's columns in index order (INCLUDE columns left out), else the replica identity index's. */
    private static final String KEY = """
            SELECT a.attname
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos) ON k.pos <= i.indnkeyatts
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE n.nspname = ? AND c.relname = ?
              AND i.indisprimary = (SELECT bool_or(indisprimary) FROM pg_index WHERE indrelid = c.oid)
              AND (i.indisprimary OR i.indisreplident)
            ORDER BY k.pos""";

    /**
     * One column as the catalog describes it.
     *
     * @param name              column name
     * @param notNull           NOT NULL
     * @param defaultExpression {@code pg_get_expr} of the default, or null
     * @param typeOid           the column's type
     * @param typeName          the type's name as SQL spells it
     * @param typeModifier      the modifier (a domain's base modifier)
     * @param baseOid           the base type of a domain, else the column's type
     * @param baseName          the base type's name
     * @param enumLabels        the enum labels of the base type, in order; empty otherwise
     */
    record Column(String name, boolean notNull, String defaultExpression, int typeOid, String typeName,
                  int typeModifier, int baseOid, String baseName, List<String> enumLabels) {
    }

    /**
     * A table's columns in order and its key columns in key order (empty for a keyless table).
     *
     * @param columns    the columns
     * @param keyColumns the key column names
     */
    record Table(List<Column> columns, List<String> keyColumns) {
    }

    private final String url;
    private final Properties properties;

    TableCatalog(String host, int port, String database, String user, String password) {
        this.url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        this.properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "pgoutput-kafka-connect catalog");
    }

    /** Reads one table. */
    Table read(String schema, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, properties)) {
            List<Column> columns = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(COLUMNS)) {
                s.setString(1, schema);
                s.setString(2, table);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Array labels = rs.getArray("labels");
                        List<String> enumLabels = labels == null ? List.of() : List.of((String[]) labels.getArray());
                        columns.add(new Column(rs.getString("attname"), rs.getBoolean("attnotnull"),
                                rs.getString("def"), (int) rs.getLong("atttypid"), rs.getString("typname"),
                                rs.getInt("typmod"), (int) rs.getLong("baseoid"), rs.getString("basename"),
                                enumLabels));
                    }
                }
            }
            List<String> key = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(KEY)) {
                s.setString(1, schema);
                s.setString(2, table);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        key.add(rs.getString(1));
                    }
                }
            }
            return new Table(List.copyOf(columns), List.copyOf(key));
        }
    }
}
