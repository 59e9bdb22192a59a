package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedPostgresIT {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresIT.class);

    @ParameterizedTest
    @EnumSource(PostgresVersion.class)
    void startsEachVersionReadyForLogicalReplication(PostgresVersion version) throws Exception {
        long started = System.nanoTime();
        Path workDirectory;
        int port;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(version).start()) {
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            LOG.info("PostgreSQL {} started in {} ms", version.major(), startMillis);
            workDirectory = pg.dataDirectory().getParent();
            port = pg.port();
            assertTrue(pg.isRunning());
            assertEquals(version.major(), pg.majorVersion());
            assertEquals(version.major(), pg.serverVersionNum() / 10000);

            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
                assertEquals("logical", query(c, "SHOW wal_level"));
                assertTrue(
                        query(c, "SELECT version()").startsWith("PostgreSQL " + version.major() + "."),
                        query(c, "SELECT version()"));
                assertEquals(Integer.toString(pg.serverVersionNum()), query(c, "SHOW server_version_num"));
                assertEquals("UTF8", query(c, "SHOW server_encoding"));
                assertEquals("scram-sha-256", query(c, "SHOW password_encryption"));
                // The real test of wal_level: a pgoutput slot can be created.
                assertEquals(
                        "s1",
                        query(c, "SELECT slot_name FROM pg_create_logical_replication_slot('s1', 'pgoutput')"));
            }
        }
        assertFalse(Files.exists(workDirectory), "the data directory is deleted on close");
        assertFalse(accepts(port), "nothing listens on the port after close");
    }

    @Test
    void rejectsAWrongPassword() {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().password("right-one").start()) {
            SQLException e =
                    assertThrows(
                            SQLException.class,
                            () -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong-one").close());
            assertEquals("28P01", e.getSQLState(), e.getMessage()); // invalid_password
            assertDoesConnect(pg, "right-one");
        }
    }

    @Test
    void aFailedStartThrowsWithTheServerLog() {
        PostgresStartException e =
                assertThrows(
                        PostgresStartException.class,
                        () -> EmbeddedPostgres.builder().setting("wal_level", "bogus").start().close());
        assertTrue(
                e.getMessage().contains("invalid value for parameter \"wal_level\": \"bogus\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
    }

    @Test
    void builderSettingsOverrideTheDefaults() throws SQLException {
        try (EmbeddedPostgres pg =
                        EmbeddedPostgres.builder().version(12).setting("wal_level", "replica").start();
                Connection c = pg.connect()) {
            assertEquals("replica", query(c, "SHOW wal_level"));
            assertEquals("replica", pg.settings().get("wal_level"));
            SQLException e =
                    assertThrows(
                            SQLException.class,
                            () -> query(c, "SELECT pg_create_logical_replication_slot('s', 'pgoutput')"));
            assertTrue(e.getMessage().contains("wal_level"), e.getMessage());
        }
    }

    @Test
    void restartKeepsDataAndPortAndCanChangeSettings() throws SQLException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            int port = pg.port();
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int PRIMARY KEY)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
            pg.restart();
            assertEquals(port, pg.port());
            try (Connection c = pg.connect()) {
                assertEquals("42", query(c, "SELECT id FROM kept"));
            }
            pg.restart(Map.of("wal_level", "replica"));
            try (Connection c = pg.connect()) {
                assertEquals("replica", query(c, "SHOW wal_level"));
                assertEquals("42", query(c, "SELECT id FROM kept"));
            }
        }
    }

    @Test
    void createsExtraDatabases() throws SQLException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            pg.createDatabase("Other \"db\"");
            try (Connection c = pg.connect("Other \"db\"")) {
                assertEquals("Other \"db\"", query(c, "SELECT current_database()"));
            }
        }
    }

    @Test
    void twoServersOfTheSameVersionRunSideBySide() throws SQLException {
        try (EmbeddedPostgres a = EmbeddedPostgres.builder().start();
                EmbeddedPostgres b = EmbeddedPostgres.builder().start()) {
            assertNotEquals(a.port(), b.port());
            assertNotEquals(a.dataDirectory(), b.dataDirectory());
            assertDoesConnect(a, a.password());
            assertDoesConnect(b, b.password());
        }
    }

    @Test
    void runsAsAnUnprivilegedAccountWhenTheJvmIsRoot() throws IOException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String owner = Files.getOwner(pg.dataDirectory()).getName();
            if ("root".equals(System.getProperty("user.name"))) {
                assertEquals("nobody", owner);
            } else {
                assertEquals(System.getProperty("user.name"), owner);
            }
        }
    }

    private static void assertDoesConnect(PostgresServer server, String password) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), password)) {
            assertEquals("1", query(c, "SELECT 1"));
        } catch (SQLException e) {
            throw new AssertionError("Cannot connect to " + server, e);
        }
    }

    static String query(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next(), sql + " returned no row");
            return r.getString(1);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(EmbeddedPostgres.HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
