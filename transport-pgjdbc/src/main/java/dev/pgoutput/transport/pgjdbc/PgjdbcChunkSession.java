package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.spi.ChunkSession;
import dev.pgoutput.spi.ConnectionSettings;
import dev.pgoutput.spi.PublishedTable;
import dev.pgoutput.spi.SnapshotSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An incremental snapshot's connection over pgjdbc, in autocommit: every watermark and every chunk is a
 * transaction of its own.
 */
final class PgjdbcChunkSession implements ChunkSession {

    private static final Logger LOG = LoggerFactory.getLogger(PgjdbcChunkSession.class);

    private final Connection connection;
    private final int serverVersionNum;

    private PgjdbcChunkSession(Connection connection, int serverVersionNum) {
        this.connection = connection;
        this.serverVersionNum = serverVersionNum;
    }

    static PgjdbcChunkSession open(ConnectionSettings settings, int serverVersionNum) {
        try {
            return new PgjdbcChunkSession(DriverConnections.open(settings, "pgoutput-decoder-incremental", true),
                    serverVersionNum);
        } catch (SQLException e) {
            throw SqlErrors.onConnect(e, settings.user(), settings.database());
        }
    }

    @Override
    public List<PublishedTable> publishedTables(List<String> publications) {
        return PublishedTables.read(connection, serverVersionNum, publications);
    }

    @Override
    public List<String> keyColumns(PublishedTable table) {
        return PublishedTables.keyColumns(connection, table);
    }

    @Override
    public void emitWatermark(String prefix, String content) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_logical_emit_message(true, ?, ?)")) {
            ps.setString(1, prefix);
            ps.setString(2, content);
            ps.execute();
        } catch (SQLException e) {
            throw new PgOutputException("cannot write the snapshot watermark " + content + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long copyChunk(PublishedTable table, List<String> keyColumns, List<String> after, int limit,
                          boolean binary, SnapshotSession.RowSink rows) {
        String sql = chunkCommand(table, keyColumns, after, limit, binary);
        try (Statement st = connection.createStatement()) {
            try {
                beginSeeingEveryCommit(st);
                long count = CopyOutRows.copy(connection, sql, rows);
                st.execute("COMMIT");
                return count;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(st);
                throw e;
            }
        } catch (SQLException e) {
            throw new PgOutputException("reading a chunk of " + table.qualifiedName() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Begins the chunk's transaction with a snapshot in which no transaction counts as running that has
     * already committed. A transaction that wrote its commit before the low watermark but had not yet
     * become visible when the snapshot was taken (the moment between its commit record and leaving the
     * list of running transactions, long under synchronous replication) would have its change delivered
     * before the window and be missing from the chunk's read: the chunk would then bring the older row.
     */
    private void beginSeeingEveryCommit(Statement st) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            // The first statement takes the transaction's snapshot, and looks at what it calls running.
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_snapshot_xip(pg_current_snapshot()) x "
                    + "WHERE pg_xact_status(x) = 'committed'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
            st.execute("ROLLBACK");
            if (attempt == 1000) {
                LOG.warn("Committed transactions stayed in the snapshot's running list for 1000 attempts; "
                        + "reading the chunk anyway");
                st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }

    private static void rollbackQuietly(Statement st) {
        try {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.debug("Ending a chunk's transaction: {}", e.toString());
        }
    }

    /**
     * The COPY of one chunk: the published columns of the rows after {@code after} that pass the row
     * filter, in key order (in binary, followed by the key columns as text). The bound compares row values,
     * {@code (a, b) > (x, y)}, which is the order of {@code ORDER BY a, b}: comparing column by column
     * ({@code a > x AND b > y}) would skip every row that shares its first column with the bound.
     */
    static String chunkCommand(PublishedTable table, List<String> keyColumns, List<String> after, int limit,
                               boolean binary) {
        StringBuilder keys = new StringBuilder();
        StringBuilder keyTexts = new StringBuilder();
        for (int i = 0; i < keyColumns.size(); i++) {
            String k = SetupVerifier.identifier(keyColumns.get(i));
            keys.append(i == 0 ? "" : ", ").append(k);
            // Named apart from the column, or ORDER BY would not know which of the two it means.
            keyTexts.append(", ").append(k).append("::text AS \"pgoutput_chunk_key_").append(i).append('"');
        }
        List<String> bound = new java.util.ArrayList<>();
        if (after != null) {
            StringBuilder values = new StringBuilder();
            for (String v : after) {
                values.append(values.length() == 0 ? "" : ", ").append(escapedLiteral(v));
            }
            bound.add("(" + keys + ") > (" + values + ")");
        }
        StringBuilder sql = new StringBuilder(PgjdbcSnapshotSession.select(table, binary ? keyTexts.toString() : "",
                bound));
        sql.append(" ORDER BY ").append(keys).append(" LIMIT ").append(limit);
        return "COPY (" + sql + ") TO STDOUT" + (binary ? " (FORMAT binary)" : "");
    }

    /** A string constant that reads the same whatever {@code standard_conforming_strings} says. */
    static String escapedLiteral(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public long retainedWal(String slot) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
                + "restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            LOG.debug("Reading the retained WAL of slot '{}': {}", slot, e.toString());
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the incremental snapshot connection: {}", e.toString());
        }
    }
}
