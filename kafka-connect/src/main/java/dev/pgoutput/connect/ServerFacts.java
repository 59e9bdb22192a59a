package dev.pgoutput.connect;

import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * What the task reads from the server over an ordinary JDBC connection at start: its version (logical decoding
 * messages need PostgreSQL 14) and the slot's confirmed position (the offset of heartbeats before any event).
 */
final class ServerFacts {

    private ServerFacts() {
    }

    /** {@code {lsn_proc, lsn}} at the slot's confirmed position, or null when the slot has none. */
    static Map<String, Object> slotOffset(PgOutputConnectorConfig config, ReplicationSettings settings) {
        try (java.sql.Connection c = PublicationCatalog.connect(config, settings);
             java.sql.PreparedStatement s = c.prepareStatement("SELECT (confirmed_flush_lsn - '0/0')::bigint "
                     + "FROM pg_replication_slots WHERE slot_name = ? AND confirmed_flush_lsn IS NOT NULL")) {
            s.setString(1, config.slotName());
            try (java.sql.ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long lsn = rs.getLong(1);
                return new SourcePosition(lsn, lsn, null, null, null, null).toOffset();
            }
        } catch (java.sql.SQLException e) {
            throw new ConnectException("Reading slot " + config.slotName() + " failed: " + e.getMessage(), e);
        }
    }

    /** The server's {@code server_version_num}. */
    static int serverVersion(PgOutputConnectorConfig config, ReplicationSettings settings) {
        try (java.sql.Connection c = PublicationCatalog.connect(config, settings);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        } catch (java.sql.SQLException e) {
            throw new ConnectException("Reading the server version failed: " + e.getMessage(), e);
        }
    }
}
