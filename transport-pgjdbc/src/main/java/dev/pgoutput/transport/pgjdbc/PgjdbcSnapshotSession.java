package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.spi.ConnectionSettings;
import dev.pgoutput.spi.PublishedTable;
import dev.pgoutput.spi.SnapshotSession;
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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot session over an ordinary pgjdbc connection: {@code BEGIN ISOLATION LEVEL REPEATABLE READ,
 * READ ONLY; SET TRANSACTION SNAPSHOT '…'}, then catalog reads and {@code COPY (SELECT …) TO STDOUT}
 * under it. The transaction may sit idle while the application is slow: the session's
 * {@code idle_in_transaction_session_timeout} and {@code statement_timeout} are turned off for it, and TCP
 * keepalives are on.
 */
final class PgjdbcSnapshotSession implements SnapshotSession {

    private static final Logger LOG = LoggerFactory.getLogger(PgjdbcSnapshotSession.class);

    private final Connection connection;
    private final int serverVersionNum;

    private PgjdbcSnapshotSession(Connection connection, int serverVersionNum) {
        this.connection = connection;
        this.serverVersionNum = serverVersionNum;
    }

    static PgjdbcSnapshotSession open(ConnectionSettings settings, int serverVersionNum, String snapshotName) {
        Connection c;
        try {
            c = DriverConnections.open(settings, "pgoutput-decoder-snapshot", true);
        } catch (SQLException e) {
            throw SqlErrors.onConnect(e, settings.user(), settings.database());
        }
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            st.execute("SET TRANSACTION SNAPSHOT " + SetupVerifier.literal(snapshotName));
            st.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
            st.execute("SET LOCAL statement_timeout = 0");
            return new PgjdbcSnapshotSession(c, serverVersionNum);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new PgOutputException("cannot import the slot's snapshot " + snapshotName + ": " + e.getMessage()
                    + " (it lives only until the replication connection's next command)", e);
        }
    }

    @Override
    public List<PublishedTable> publishedTables(List<String> publications) {
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
                tables.add(new PublishedTable(r.oid, r.schema, r.name, r.identity, r.partitioned, columns(r),
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
    private List<Relation.Column> columns(Row r) throws SQLException {
        Set<Integer> keys = identityColumns(r.oid, r.identity);
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

    private Set<Integer> identityColumns(int oid, char identity) throws SQLException {
        Set<Integer> keys = new HashSet<>();
        if (identity != 'd' && identity != 'i') {
            return keys;
        }
        String which = identity == 'd' ? "i.indisprimary" : "i.indisreplident";
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT unnest(i.indkey) FROM pg_index i WHERE i.indrelid = ? AND " + which)) {
            ps.setLong(1, Integer.toUnsignedLong(oid));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getInt(1));
                }
            }
        }
        return keys;
    }

    @Override
    public long snapshotXmin() {
        String sql = serverVersionNum >= 130000 ? "SELECT pg_snapshot_xmin(pg_current_snapshot())::text"
                : "SELECT txid_snapshot_xmin(txid_current_snapshot())::text";
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        } catch (SQLException e) {
            throw new PgOutputException("cannot read the snapshot's xmin: " + e.getMessage(), e);
        }
    }

    @Override
    public long copy(PublishedTable table, long fromPage, long toPage, RowSink rows) {
        String sql = copyCommand(table, fromPage, toPage);
        try {
            CopyOut out = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            long count = 0;
            try {
                byte[] line;
                while ((line = out.readFromCopy()) != null) {
                    rows.row(line);
                    count++;
                }
            } finally {
                if (out.isActive()) {
                    out.cancelCopy();
                }
            }
            return count;
        } catch (SQLException e) {
            throw new PgOutputException("copying " + table.qualifiedName() + " failed: " + e.getMessage(), e);
        }
    }

    /** The COPY of a table's published columns and rows, in a page range when one is given. */
    static String copyCommand(PublishedTable table, long fromPage, long toPage) {
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < table.columns().size(); i++) {
            select.append(i == 0 ? "" : ", ").append(SetupVerifier.identifier(table.columns().get(i).name()));
        }
        if (table.columns().isEmpty()) {
            select.append("NULL");
        }
        // ONLY: an inheritance child is published (and copied) on its own; a partitioned table has its rows
        // in its partitions.
        select.append(" FROM ").append(table.partitioned() ? "" : "ONLY ")
                .append(SetupVerifier.identifier(table.schema())).append('.').append(SetupVerifier.identifier(table.table()));
        List<String> where = new ArrayList<>();
        if (table.rowFilter() != null) {
            where.add("(" + table.rowFilter() + ")");
        }
        if (fromPage >= 0) {
            where.add("ctid >= '(" + fromPage + ",0)'::tid");
        }
        if (toPage >= 0) {
            where.add("ctid < '(" + toPage + ",0)'::tid");
        }
        if (!where.isEmpty()) {
            select.append(" WHERE ").append(String.join(" AND ", where));
        }
        return "COPY (" + select + ") TO STDOUT";
    }

    @Override
    public void close() {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.debug("Ending the snapshot transaction: {}", e.toString());
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("Closing the snapshot connection: {}", e.toString());
        }
    }
}
