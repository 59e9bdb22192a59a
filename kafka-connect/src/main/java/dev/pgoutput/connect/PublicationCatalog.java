package dev.pgoutput.connect;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a publication publishes, read over an ordinary JDBC connection (pgjdbc, which the transport brings): the
 * table lists need it ({@code table.exclude.list} is "the publication's tables but these"), and {@code
 * validate()} reports a missing publication with the SQL that creates it.
 */
final class PublicationCatalog {

    private PublicationCatalog() {
    }

    /** Opens a connection with the connector's connection and TLS properties. */
    static Connection connect(PgOutputConnectorConfig config, ReplicationSettings settings) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", config.user());
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        settings.ssl().forEach(props::setProperty);
        props.setProperty("ApplicationName", "pgoutput-kafka-connect");
        props.setProperty("connectTimeout", "10");
        String url = "jdbc:postgresql://" + config.hostname() + ":" + config.port() + "/" + config.databaseName();
        loadDriver();
        return DriverManager.getConnection(url, props);
    }

    /**
     * Registers pgjdbc's driver from the connector's own class loader. DriverManager finds drivers through the
     * system class loader, which a worker's plugin isolation hides pgjdbc from: before the reader has loaded the
     * driver class (the task's first reads come before it), "No suitable driver" (PluginDirectoryIT).
     */
    private static void loadDriver() throws SQLException {
        try {
            Class.forName("org.postgresql.Driver", true, PublicationCatalog.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new SQLException("pgjdbc (org.postgresql.Driver) is not on the connector's class path", e);
        }
    }

    /** The publication's tables as {@code schema.table}, or empty when the publication does not exist. */
    static Optional<List<String>> publishedTables(Connection c, String publication) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            exists.setString(1, publication);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
        }
        List<String> tables = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY 1, 2")) {
            s.setString(1, publication);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        return Optional.of(tables);
    }

    /** The SQL that creates the publication for the tables, or for all tables when none are named. */
    static String createSql(String publication, List<String> tables) {
        return "CREATE PUBLICATION " + publication + (tables.isEmpty() ? " FOR ALL TABLES;"
                : " FOR TABLE " + String.join(", ", tables) + ";");
    }
}
