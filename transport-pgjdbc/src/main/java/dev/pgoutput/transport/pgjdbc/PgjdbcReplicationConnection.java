package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.spi.ConnectionSettings;
import dev.pgoutput.spi.ReplicationConnection;
import dev.pgoutput.spi.ReplicationStream;
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
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.fluent.logical.ChainedLogicalStreamBuilder;
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
        Properties props = new Properties();
        props.putAll(settings.properties());
        PGProperty.USER.set(props, settings.user());
        if (settings.password() != null) {
            PGProperty.PASSWORD.set(props, settings.password());
        }
        PGProperty.REPLICATION.set(props, "database");
        // Replication connections speak only the simple query protocol.
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.CONNECT_TIMEOUT.set(props, (int) Math.max(1, settings.connectTimeout().toSeconds()));
        if (!props.containsKey(PGProperty.APPLICATION_NAME.getName())) {
            PGProperty.APPLICATION_NAME.set(props, "pgoutput-decoder");
        }
        String host = settings.host().contains(":") && !settings.host().startsWith("[")
                ? "[" + settings.host() + "]" : settings.host();
        String url = "jdbc:postgresql://" + host + ":" + settings.port() + "/" + settings.database();
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
    public long confirmedFlushLsn(String slot) {
        try {
            String lsn = queryOne(connection,
                    "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = " + SetupVerifier.literal(slot));
            return lsn == null ? 0L : LogSequenceNumber.valueOf(lsn).asLong();
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
    public ReplicationStream startReplication(StreamRequest request) {
        try {
            ChainedLogicalStreamBuilder builder = connection.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().logical()
                    .withSlotName(request.slot())
                    // pgjdbc would otherwise confirm a keepalive's WAL end on its own whenever the last
                    // message it saw is at or below our flush position, which is also true after a
                    // Relation message (LSN 0/0) in the middle of an unacknowledged transaction. The
                    // engine decides when an idle slot may advance.
                    .withAutomaticFlush(false)
                    .withStatusInterval((int) Math.max(1, request.statusInterval().toMillis()), TimeUnit.MILLISECONDS);
            if (request.startLsn() != 0) {
                builder.withStartPosition(LogSequenceNumber.valueOf(request.startLsn()));
            }
            for (Map.Entry<String, String> option : request.pluginOptions().entrySet()) {
                builder.withSlotOption(option.getKey(), option.getValue());
            }
            PGReplicationStream stream = builder.start();
            return new PgjdbcReplicationStream(stream, request.slot(), settings.user());
        } catch (SQLException e) {
            throw SqlErrors.onStream(e, request.slot(), settings.user());
        }
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
