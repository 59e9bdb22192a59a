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
                          SnapshotSession.RowSink rows) {
        String sql = chunkCommand(table, keyColumns, after, limit);
        try {
            return CopyOutRows.copy(connection, sql, rows);
        } catch (SQLException e) {
            throw new PgOutputException("reading a chunk of " + table.qualifiedName() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The COPY of one chunk: the published columns of the rows after {@code after} that pass the row
     * filter, in key order. The bound compares row values, {@code (a, b) > (x, y)}, which is the order of
     * {@code ORDER BY a, b}: comparing column by column ({@code a > x AND b > y}) would skip every row
     * that shares its first column with the bound.
     */
    static String chunkCommand(PublishedTable table, List<String> keyColumns, List<String> after, int limit) {
        String select = PgjdbcSnapshotSession.copyCommand(table, -1, -1);
        // "COPY (SELECT … [WHERE filter]) TO STDOUT": open it up to add the bound, the order and the limit.
        String query = select.substring("COPY (".length(), select.length() - ") TO STDOUT".length());
        StringBuilder keys = new StringBuilder();
        for (String k : keyColumns) {
            keys.append(keys.length() == 0 ? "" : ", ").append(SetupVerifier.identifier(k));
        }
        StringBuilder sql = new StringBuilder(query);
        if (after != null) {
            StringBuilder values = new StringBuilder();
            for (String v : after) {
                values.append(values.length() == 0 ? "" : ", ").append(escapedLiteral(v));
            }
            sql.append(table.rowFilter() == null ? " WHERE " : " AND ")
                    .append("(").append(keys).append(") > (").append(values).append(")");
        }
        sql.append(" ORDER BY ").append(keys).append(" LIMIT ").append(limit);
        return "COPY (" + sql + ") TO STDOUT";
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
