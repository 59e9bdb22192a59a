package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.spi.ConnectionSettings;
import dev.pgoutput.spi.PublishedTable;
import dev.pgoutput.spi.SnapshotSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
        return PublishedTables.read(connection, serverVersionNum, publications);
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
    public long copy(PublishedTable table, long fromPage, long toPage, boolean binary, RowSink rows) {
        String sql = copyCommand(table, fromPage, toPage) + (binary ? " (FORMAT binary)" : "");
        try {
            return CopyOutRows.copy(connection, sql, rows);
        } catch (SQLException e) {
            throw new PgOutputException("copying " + table.qualifiedName() + " failed: " + e.getMessage(), e);
        }
    }

    /** The COPY of a table's published columns and rows, in a page range when one is given. */
    static String copyCommand(PublishedTable table, long fromPage, long toPage) {
        List<String> where = new ArrayList<>();
        if (fromPage >= 0) {
            where.add("ctid >= '(" + fromPage + ",0)'::tid");
        }
        if (toPage >= 0) {
            where.add("ctid < '(" + toPage + ",0)'::tid");
        }
        return "COPY (" + select(table, "", where) + ") TO STDOUT";
    }

    /**
     * {@code SELECT} the published columns (then {@code extraColumns}, which starts with a comma when not
     * empty) of the rows that pass the row filter and every one of {@code conditions}.
     */
    static String select(PublishedTable table, String extraColumns, List<String> conditions) {
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < table.columns().size(); i++) {
            select.append(i == 0 ? "" : ", ").append(SetupVerifier.identifier(table.columns().get(i).name()));
        }
        if (table.columns().isEmpty()) {
            select.append("NULL");
        }
        select.append(extraColumns);
        // ONLY: an inheritance child is published (and copied) on its own; a partitioned table has its rows
        // in its partitions.
        select.append(" FROM ").append(table.partitioned() ? "" : "ONLY ")
                .append(SetupVerifier.identifier(table.schema())).append('.').append(SetupVerifier.identifier(table.table()));
        List<String> where = new ArrayList<>();
        if (table.rowFilter() != null) {
            where.add("(" + table.rowFilter() + ")");
        }
        where.addAll(conditions);
        if (!where.isEmpty()) {
            select.append(" WHERE ").append(String.join(" AND ", where));
        }
        return select.toString();
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
