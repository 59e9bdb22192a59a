package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.spi.ConnectionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGProperty;

/** Ordinary (not replication) connections with the reader's settings, for catalog reads and snapshots. */
final class PlainConnections {

    private PlainConnections() {
    }

    /**
     * @param applicationName shown in {@code pg_stat_activity} unless the settings name one
     * @param keepAlive       TCP keepalives, for a connection that sits idle in a transaction for long
     */
    static Connection open(ConnectionSettings settings, String applicationName, boolean keepAlive) throws SQLException {
        Properties props = new Properties();
        props.putAll(settings.properties());
        PGProperty.USER.set(props, settings.user());
        if (settings.password() != null) {
            PGProperty.PASSWORD.set(props, settings.password());
        }
        props.remove(PGProperty.REPLICATION.getName());
        PGProperty.CONNECT_TIMEOUT.set(props, (int) Math.max(1, settings.connectTimeout().toSeconds()));
        if (keepAlive) {
            PGProperty.TCP_KEEP_ALIVE.set(props, true);
        }
        if (!props.containsKey(PGProperty.APPLICATION_NAME.getName())) {
            PGProperty.APPLICATION_NAME.set(props, applicationName);
        }
        String host = settings.host().contains(":") && !settings.host().startsWith("[")
                ? "[" + settings.host() + "]" : settings.host();
        String url = "jdbc:postgresql://" + host + ":" + settings.port() + "/" + settings.database();
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("pgjdbc did not accept the URL " + url);
        }
        return c;
    }
}
