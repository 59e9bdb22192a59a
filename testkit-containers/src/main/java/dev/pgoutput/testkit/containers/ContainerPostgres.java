package dev.pgoutput.testkit.containers;

import dev.pgoutput.testkit.EmbeddedPostgres;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.testkit.PostgresVersion;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL server in a Docker container, through Testcontainers ({@code
 * org.testcontainers:testcontainers-postgresql}). The image is the official {@code postgres:<major>}, started with the same settings as
 * {@link EmbeddedPostgres} ({@code wal_level=logical}, 20 slots and WAL senders, durability off) plus the
 * extension's. {@link #close()} stops and removes the container.
 *
 * <p>The embedded binaries stay the default: {@code PostgresExtension}'s shared servers are containers when the
 * system property {@code pgoutput.testkit.servers} (or the environment variable {@code PGOUTPUT_TESTKIT_SERVERS})
 * says {@code testcontainers} and this artifact is on the test class path (see {@link TestcontainersServers}).
 *
 * <pre>{@code
 * try (ContainerPostgres pg = ContainerPostgres.start(17, Map.of())) {
 *     try (Connection c = pg.connect()) { ... }
 * }
 * }</pre>
 */
public final class ContainerPostgres implements PostgresServer {

    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final String DATABASE = "postgres";

    private final PostgreSQLContainer container;
    private final int serverVersionNum;

    private ContainerPostgres(PostgreSQLContainer container, int serverVersionNum) {
        this.container = container;
        this.serverVersionNum = serverVersionNum;
    }

    /** Whether a Docker engine answers Testcontainers. */
    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /**
     * Starts {@code postgres:<major>} with the test kit's settings and {@code settings} on top.
     *
     * @param major    12 to 18
     * @param settings server settings ({@code -c name=value}) that override the defaults
     * @return the running server
     * @throws IllegalStateException when the container does not start
     */
    public static ContainerPostgres start(int major, Map<String, String> settings) {
        PostgresVersion.of(major);
        Map<String, String> all = new LinkedHashMap<>(EmbeddedPostgres.TEST_SETTINGS);
        all.putAll(Objects.requireNonNull(settings, "settings"));
        List<String> command = new ArrayList<>(List.of("postgres"));
        all.forEach((name, value) -> {
            command.add("-c");
            command.add(name + "=" + value);
        });
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:" + major)
                .withDatabaseName(DATABASE).withUsername(USER).withPassword(PASSWORD);
        container.setCommand(command.toArray(String[]::new));
        container.start();
        try {
            return new ContainerPostgres(container, versionOf(container));
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    private static int versionOf(PostgreSQLContainer container) {
        try (Connection c = java.sql.DriverManager.getConnection(container.getJdbcUrl(), USER, PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot ask the container " + container.getContainerName()
                    + " for its version", e);
        }
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String database() {
        return DATABASE;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public int majorVersion() {
        return serverVersionNum / 10000;
    }

    @Override
    public int serverVersionNum() {
        return serverVersionNum;
    }

    /** Stops and removes the container. */
    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "PostgreSQL " + majorVersion() + " in container " + container.getDockerImageName() + " on " + host()
                + ":" + port();
    }
}
