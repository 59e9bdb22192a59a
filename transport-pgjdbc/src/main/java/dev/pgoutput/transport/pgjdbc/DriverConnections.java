package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.spi.ConnectionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGProperty;

/**
 * pgjdbc connections with the reader's settings: the driver properties and URL every connection of this
 * transport shares, and ordinary (not replication) connections for catalog reads and snapshots.
 */
final class DriverConnections {

    private DriverConnections() {
    }

    /**
     * The user's properties with the user, password, connect timeout and an application name (unless the
     * settings name one), without {@code replication}.
     */
    static Properties properties(ConnectionSettings settings, String applicationName) {
        Properties props = new Properties();
        props.putAll(settings.properties());
        PGProperty.USER.set(props, settings.user());
        if (settings.password() != null) {
            PGProperty.PASSWORD.set(props, settings.password());
        }
        props.remove(PGProperty.REPLICATION.getName());
        PGProperty.CONNECT_TIMEOUT.set(props, (int) Math.max(1, settings.connectTimeout().toSeconds()));
        if (!props.containsKey(PGProperty.APPLICATION_NAME.getName())) {
            PGProperty.APPLICATION_NAME.set(props, applicationName);
        }
        return props;
    }

    /** The JDBC URL of the settings' host, port and database (an IPv6 host in brackets). */
    static String url(ConnectionSettings settings) {
        String host = settings.host().contains(":") && !settings.host().startsWith("[")
                ? "[" + settings.host() + "]" : settings.host();
        return "jdbc:postgresql://" + host + ":" + settings.port() + "/" + settings.database();
    }

    /**
     * An ordinary connection.
     *
     * @param applicationName shown in {@code pg_stat_activity} unless the settings name one
     * @param keepAlive       TCP keepalives, for a connection that sits idle in a transaction for long
     */
    static Connection open(ConnectionSettings settings, String applicationName, boolean keepAlive) throws SQLException {
        Properties props = properties(settings, applicationName);
        if (keepAlive) {
            PGProperty.TCP_KEEP_ALIVE.set(props, true);
        }
        String url = url(settings);
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("pgjdbc did not accept the URL " + url);
        }
        return c;
    }
}
