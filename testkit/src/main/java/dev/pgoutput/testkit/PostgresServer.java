package dev.pgoutput.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server that tests can connect to: an {@link EmbeddedPostgres} started by the test
 * kit, or an {@link ExternalPostgres} named by {@code PGOUTPUT_TEST_URL}.
 *
 * <p>The connection helpers use {@link DriverManager}, so they need a JDBC driver such as
 * {@code org.postgresql:postgresql} on the class path; the coordinates do not.
 *
 * <pre>{@code
 * try (Connection c = server.connect(); Statement s = c.createStatement()) {
 *   s.execute("CREATE TABLE t (id int PRIMARY KEY)");
 * }
 * String url = server.jdbcUrl(); // jdbc:postgresql://127.0.0.1:54321/postgres
 * }</pre>
 */
public interface PostgresServer extends AutoCloseable {

    /**
     * Returns the host to connect to.
     *
     * @return a host name or IP address, {@code 127.0.0.1} for embedded servers
     */
    String host();

    /**
     * Returns the TCP port.
     *
     * @return the port the server listens on
     */
    int port();

    /**
     * Returns the database that tests use by default.
     *
     * @return a database name, {@code postgres} for embedded servers
     */
    String database();

    /**
     * Returns the user to connect as; for embedded servers a superuser, as logical replication
     * tests need.
     *
     * @return the user name
     */
    String user();

    /**
     * Returns the password of {@link #user()}.
     *
     * @return the password
     */
    String password();

    /**
     * Returns the major version of the server, 12 to 18 for embedded servers.
     *
     * @return the major version
     */
    int majorVersion();

    /**
     * Returns the release as PostgreSQL's {@code server_version_num} reports it, for example
     * {@code 170006} for 17.6.
     *
     * @return the version number
     */
    int serverVersionNum();

    /**
     * Returns a JDBC URL of {@link #database()} without credentials.
     *
     * @return for example {@code jdbc:postgresql://127.0.0.1:54321/postgres}
     */
    default String jdbcUrl() {
        return jdbcUrl(database());
    }

    /**
     * Returns a JDBC URL of another database on this server, without credentials.
     *
     * @param database the database name
     * @return the JDBC URL
     */
    default String jdbcUrl(String database) {
        String host = host().contains(":") ? "[" + host() + "]" : host();
        return "jdbc:postgresql://" + host + ":" + port() + "/" + database;
    }

    /**
     * Opens a connection to {@link #database()} as {@link #user()} with the password.
     *
     * @return a new connection, to be closed by the caller
     * @throws SQLException if the connection fails or no JDBC driver is on the class path
     */
    default Connection connect() throws SQLException {
        return connect(database());
    }

    /**
     * Opens a connection to another database as {@link #user()} with the password.
     *
     * @param database the database name
     * @return a new connection, to be closed by the caller
     * @throws SQLException if the connection fails or no JDBC driver is on the class path
     */
    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /**
     * Creates a database, for tests that want one of their own on a shared server.
     *
     * @param name the database name, used as a quoted identifier
     * @throws SQLException if it exists already or cannot be created
     */
    default void createDatabase(String name) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    /**
     * Drops a database, for tests that made one of their own on a shared server and leave nothing of
     * it (rows, WAL kept for its slots, slots) to the tests after them. PostgreSQL drops the logical
     * replication slots of the database with it, but refuses while a walsender holds one; a walsender
     * lets go a moment after its reader disconnects, so this first waits up to ten seconds for that.
     *
     * @param name the database name, used as a quoted identifier
     * @throws SQLException if it does not exist, another session is still connected to it, or a slot
     *     in it is still in use after ten seconds
     * @throws InterruptedException if interrupted while waiting for the slots
     */
    default void dropDatabase(String name) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection connection = connect();
                PreparedStatement slotsInUse = connection.prepareStatement(
                        "SELECT count(*) FROM pg_replication_slots WHERE database = ? AND active")) {
            slotsInUse.setString(1, name);
            while (System.nanoTime() < deadline) {
                try (ResultSet count = slotsInUse.executeQuery()) {
                    if (count.next() && count.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(50);
            }
            // If a slot is still in use, the server's error says so.
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
        }
    }

    /** Stops an embedded server and deletes its files; does nothing for an external server. */
    @Override
    void close();
}
