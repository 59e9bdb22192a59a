package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.spi.PublishedTable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads from the catalog what the publications publish, table by table, the way the stream's Relation
 * messages will describe it: the initial snapshot reads it under the exported snapshot, the incremental
 * one on its own connection.
 */
final class PublishedTables {

    private PublishedTables() {
    }

    static List<PublishedTable> read(Connection connection, int serverVersionNum, List<String> publications) {
        boolean columnLists = serverVersionNum >= 150000;
        StringBuilder in = new StringBuilder();
        for (String p : publications) {
            in.append(in.length() == 0 ? "" : ", ").append(SetupVerifier.literal(p));
        }
        String sql = "SELECT c.oid, n.nspname, c.relname, c.relreplident, c.relkind = 'p', c.relpages, "
                + "c.reltuples::bigint" + (columnLists ? ", pt.attnames, pt.rowfilter" : "")
                + " FROM pg_publication_tables pt JOIN pg_namespace n ON n.nspname = pt.schemaname "
                + "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename "
                + "WHERE pt.pubname IN (" + in + ") ORDER BY n.nspname, c.relname";
        Map<Integer, Row> rows = new LinkedHashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                int oid = (int) rs.getLong(1);
                Set<String> attnames = columnLists ? names(rs.getArray(8)) : null;
                String filter = columnLists ? rs.getString(9) : null;
                Row seen = rows.get(oid);
                if (seen == null) {
                    rows.put(oid, new Row(oid, rs.getString(2), rs.getString(3), rs.getString(4).charAt(0),
                            rs.getBoolean(5), rs.getLong(6), rs.getLong(7), attnames, filter));
                } else {
                    // In several publications: pgoutput sends a row that passes any of their filters.
                    seen.filter = seen.filter == null || filter == null ? null : seen.filter + " OR " + filter;
                }
            }
            List<PublishedTable> tables = new ArrayList<>();
            for (Row r : rows.values()) {
                tables.add(new PublishedTable(r.oid, r.schema, r.name, r.identity, r.partitioned,
                        columns(connection, serverVersionNum, r),
                        r.filter, Math.max(0, r.pages), r.tuples));
            }
            return tables;
        } catch (SQLException e) {
            throw new PgOutputException("cannot read the published tables: " + e.getMessage(), e);
        }
    }

    /** What one row of pg_publication_tables says, merged over publications. */
    private static final class Row {
        final int oid;
        final String schema;
        final String name;
        final char identity;
        final boolean partitioned;
        final long pages;
        final long tuples;
        final Set<String> attnames;
        String filter;

        Row(int oid, String schema, String name, char identity, boolean partitioned, long pages, long tuples,
            Set<String> attnames, String filter) {
            this.oid = oid;
            this.schema = schema;
            this.name = name;
            this.identity = identity;
            this.partitioned = partitioned;
            this.pages = pages;
            this.tuples = tuples;
            this.attnames = attnames;
            this.filter = filter;
        }
    }

    private static Set<String> names(Array array) throws SQLException {
        return array == null ? null : new HashSet<>(Arrays.asList((String[]) array.getArray()));
    }

    /** The published columns, flagged as replica identity the way a Relation message flags them. */
    private static List<Relation.Column> columns(Connection connection, int serverVersionNum, Row r)
            throws SQLException {
        Set<Integer> keys = identityColumns(connection, r.oid, r.identity);
        // Generated columns are published only from PostgreSQL 18, and then only when the column list says.
        String generated = serverVersionNum >= 180000 && r.attnames != null ? "" : " AND a.attgenerated = ''";
        List<Relation.Column> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.attnum, a.attname, a.atttypid, a.atttypmod "
                + "FROM pg_attribute a WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped" + generated
                + " ORDER BY a.attnum")) {
            ps.setLong(1, Integer.toUnsignedLong(r.oid));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    if (r.attnames != null && !r.attnames.contains(name)) {
                        continue;
                    }
                    boolean key = r.identity == 'f' || keys.contains(rs.getInt(1));
                    columns.add(new Relation.Column(key ? 1 : 0, name, (int) rs.getLong(3), rs.getInt(4)));
                }
            }
        }
        return columns;
    }

    private static Set<Integer> identityColumns(Connection connection, int oid, char identity) throws SQLException {
        Set<Integer> keys = new HashSet<>();
        if (identity != 'd' && identity != 'i') {
            return keys;
        }
        String which = identity == 'd' ? "i.indisprimary" : "i.indisreplident";
        try (PreparedStatement ps = connection.prepareStatement(
                // Only the key columns: an index's INCLUDE columns are not part of the replica identity.
                "SELECT k.attnum FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) "
                        + "WHERE i.indrelid = ? AND k.ord <= i.indnkeyatts AND " + which)) {
            ps.setLong(1, Integer.toUnsignedLong(oid));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getInt(1));
                }
            }
        }
        return keys;
    }

    /**
     * The key an incremental snapshot chunks by: the replica identity index when the table names one,
     * otherwise its primary key, as column names in index order; empty when it has neither.
     */
    static List<String> keyColumns(Connection connection, PublishedTable table) {
        // A table may have both, and they may differ: the replica identity index is what deletes name.
        String sql = "SELECT i.indexrelid, a.attname FROM pg_index i "
                + "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) "
                + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                + "WHERE i.indrelid = ? AND (i.indisprimary OR i.indisreplident) AND k.ord <= i.indnkeyatts "
                + "ORDER BY i.indisreplident DESC, i.indexrelid, k.ord";
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, Integer.toUnsignedLong(table.relationId()));
            try (ResultSet rs = ps.executeQuery()) {
                long index = -1;
                while (rs.next()) {
                    if (index != -1 && rs.getLong(1) != index) {
                        break;
                    }
                    index = rs.getLong(1);
                    names.add(rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new PgOutputException("cannot read the key of " + table.qualifiedName() + ": " + e.getMessage(), e);
        }
        return names;
    }
}
