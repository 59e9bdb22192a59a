package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.spi.ConnectionSettings;
import dev.pgoutput.spi.CreatedSlot;
import dev.pgoutput.spi.ReplicationConnection;
import dev.pgoutput.spi.ReplicationStream;
import dev.pgoutput.spi.SlotRequest;
import dev.pgoutput.spi.StreamRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.copy.CopyDual;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pgjdbc connection opened with {@code replication=database}: it runs the setup checks as plain SQL
 * (the simple query protocol works on such connections) and then starts the CopyBoth stream.
 */
final class PgjdbcReplicationConnection implements ReplicationConnection {

    private static final Logger LOG = LoggerFactory.getLogger(PgjdbcReplicationConnection.class);

    private final Connection connection;
    private final ConnectionSettings settings;
    private final int serverVersionNum;
    private final PgjdbcTypeCatalog typeCatalog;

    private PgjdbcReplicationConnection(Connection connection, ConnectionSettings settings, int serverVersionNum) {
        this.connection = connection;
        this.settings = settings;
        this.serverVersionNum = serverVersionNum;
        this.typeCatalog = new PgjdbcTypeCatalog(settings, serverVersionNum);
    }

    static PgjdbcReplicationConnection open(ConnectionSettings settings) {
        Properties props = DriverConnections.properties(settings, "pgoutput-decoder");
        PGProperty.REPLICATION.set(props, "database");
        // Replication connections speak only the simple query protocol.
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        String url = DriverConnections.url(settings);
        Connection connection;
        try {
            connection = new org.postgresql.Driver().connect(url, props);
        } catch (SQLException e) {
            throw SqlErrors.onConnect(e, settings.user(), settings.database());
        }
        if (connection == null) {
            throw new ReplicationConnectionException("pgjdbc did not accept the URL " + url, false, null);
        }
        try {
            int version = Integer.parseInt(queryOne(connection, "SHOW server_version_num"));
            LOG.debug("Connected for replication to {}:{}/{} (server {})", settings.host(), settings.port(),
                    settings.database(), version);
            return new PgjdbcReplicationConnection(connection, settings, version);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e instanceof SQLException s ? SqlErrors.onConnect(s, settings.user(), settings.database())
                    : (RuntimeException) e;
        }
    }

    @Override
    public int serverVersionNum() {
        return serverVersionNum;
    }

    @Override
    public void verifySetup(String slot, List<String> publications) {
        try {
            new SetupVerifier(connection, settings.database()).verify(slot, publications);
        } catch (SQLException e) {
            throw SqlErrors.onStream(e, slot, settings.user());
        }
    }

    @Override
    public Duration walSenderTimeout() {
        try {
            // pg_settings gives the value in milliseconds, whatever unit it was set with.
            String ms = queryOne(connection, "SELECT setting FROM pg_settings WHERE name = 'wal_sender_timeout'");
            return ms == null ? Duration.ZERO : Duration.ofMillis(Long.parseLong(ms));
        } catch (SQLException | NumberFormatException e) {
            LOG.debug("Cannot read wal_sender_timeout: {}", e.toString());
            return Duration.ZERO;
        }
    }

    @Override
    public Map<Integer, String> builtinTypeNames() {
        Map<Integer, String> names = new HashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT t.oid, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                             + "WHERE n.nspname = 'pg_catalog'")) {
            while (rs.next()) {
                names.put((int) rs.getLong(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new PgOutputException("cannot read type names from pg_type: " + e.getMessage(), e);
        }
        return Map.copyOf(names);
    }

    @Override
    public dev.pgoutput.types.TypeCatalog typeCatalog() {
        return typeCatalog;
    }

    @Override
    public CreatedSlot createSlot(SlotRequest request) {
        return new SlotCommands(connection, serverVersionNum, settings.user()).create(request);
    }

    @Override
    public void dropSlot(String name, Duration timeout) {
        new SlotCommands(connection, serverVersionNum, settings.user()).drop(name, timeout);
    }

    @Override
    public dev.pgoutput.spi.SnapshotSession importSnapshot(String snapshotName) {
        return PgjdbcSnapshotSession.open(settings, serverVersionNum, snapshotName);
    }

    @Override
    public dev.pgoutput.spi.ChunkSession openChunkSession() {
        return PgjdbcChunkSession.open(settings, serverVersionNum);
    }

    @Override
    public List<dev.pgoutput.api.SlotInfo> listSlots() {
        return new SlotCommands(connection, serverVersionNum, settings.user()).list();
    }

    @Override
    public ReplicationStream startReplication(StreamRequest request) {
        String command = startReplicationCommand(request);
        try {
            if (!request.receiveTimeout().isZero()) {
                // Bounds every blocking read of the stream, so that a path that dies in the middle of a
                // CopyData frame fails the read instead of hanging it (pgjdbc ignores the executor).
                connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE,
                        request.receiveTimeout().toMillis()));
            }
            LOG.debug("{}", command);
            CopyDual copy = connection.unwrap(PGConnection.class).getCopyAPI().copyDual(command);
            return new CopyBothStream(copy, request.slot(), settings.user(), request.statusInterval(),
                    request.receiveTimeout(), request.flushPosition(), ClosedConnectionProbe.of(connection));
        } catch (SQLException e) {
            throw SqlErrors.onStream(e, request.slot(), settings.user());
        }
    }

    /**
     * {@code START_REPLICATION SLOT "slot" LOGICAL x/y ("name" 'value', ...)}, with the slot and option
     * names quoted as identifiers and the values as literals, so no name or value can end the command
     * or add options (pgjdbc's own builder pastes them in unescaped).
     */
    static String startReplicationCommand(StreamRequest request) {
        StringBuilder sql = new StringBuilder("START_REPLICATION SLOT ")
                .append(SetupVerifier.identifier(request.slot()))
                .append(" LOGICAL ")
                .append(LogSequenceNumber.valueOf(request.startLsn()).asString());
        if (!request.pluginOptions().isEmpty()) {
            sql.append(" (");
            boolean first = true;
            for (Map.Entry<String, String> option : request.pluginOptions().entrySet()) {
                if (!first) {
                    sql.append(", ");
                }
                first = false;
                sql.append(SetupVerifier.identifier(option.getKey())).append(' ').append(SetupVerifier.literal(option.getValue()));
            }
            sql.append(')');
        }
        return sql.toString();
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    static String queryOne(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing the replication connection failed: {}", e.toString());
        }
    }
}
