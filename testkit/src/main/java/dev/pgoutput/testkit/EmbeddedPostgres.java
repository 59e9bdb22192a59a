package dev.pgoutput.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server on a loopback port, made for logical replication tests.
 *
 * <p>{@link Builder#start()} unpacks the binaries of the chosen version (see {@link
 * PostgresVersion}), runs {@code initdb} into a fresh temporary directory and starts the server
 * with {@code wal_level=logical} and durability switched off. {@link #close()} stops it and
 * deletes its files; a JVM shutdown hook does the same for servers that are never closed.
 *
 * <p>When the JVM runs as root, the server runs as {@code nobody} (PostgreSQL refuses root);
 * the binaries cache and the temporary directory must then be world-accessible, as {@code /tmp}
 * is.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(17).start();
 *     Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
 *   ...
 * }
 * }</pre>
 */
public final class EmbeddedPostgres implements PostgresServer {

    /** The host every embedded server listens on. */
    public static final String HOST = "127.0.0.1";

    /** The superuser created by {@code initdb}. */
    public static final String SUPERUSER = "postgres";

    /** The password of {@link #SUPERUSER} unless the builder sets another. */
    public static final String DEFAULT_PASSWORD = "postgres";

    /**
     * The settings every server of the test kit starts with, embedded or not ({@link ContainerServers} use them
     * too): logical replication with room for the tests' slots and WAL senders, and, the data being throwaway,
     * crash safety traded for speed.
     */
    public static final Map<String, String> TEST_SETTINGS = orderedSettings(
            "wal_level", "logical", "max_wal_senders", "20", "max_replication_slots", "20",
            "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off");

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    /** Bound on the path of a Unix socket (sun_path is 108 bytes on Linux, with a NUL). */
    private static final int MAX_SOCKET_PATH = 100;

    private static final int PORT_ATTEMPTS = 3;

    private final PostgresInstallation installation;
    private final ServerAccount account;
    private final Path workDirectory;
    private final Path dataDirectory;
    private final ServerLog log;
    private final String password;
    private final Duration timeout;
    private final int serverVersionNum;
    private final Thread shutdownHook;

    // Guarded by this; restart(Map) may change the settings.
    private Map<String, String> settings;
    private int port;
    private ServerProcess process;
    private boolean closed;

    private EmbeddedPostgres(
            PostgresInstallation installation,
            ServerAccount account,
            Path workDirectory,
            String password,
            Duration timeout,
            int serverVersionNum) {
        this.installation = installation;
        this.account = account;
        this.workDirectory = workDirectory;
        this.dataDirectory = workDirectory.resolve("data");
        this.log = new ServerLog(workDirectory.resolve("server.log"));
        this.password = password;
        this.timeout = timeout;
        this.serverVersionNum = serverVersionNum;
        this.shutdownHook =
                new Thread(this::closeAtShutdown, "pgoutput-testkit-stop-pg" + installation.version().major());
    }

    /**
     * Returns a builder with the default version (17, or the system property {@code
     * pgoutput.testkit.version}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static EmbeddedPostgres start(Builder options) {
        long started = System.nanoTime();
        ServerAccount account = ServerAccount.forCurrentProcess();
        PostgresInstallation installation = PostgresInstallation.prepare(options.version, account);
        Path workDirectory = createWorkDirectory(options.version, account);
        EmbeddedPostgres server = null;
        try {
            account.takeOwnership(workDirectory);
            ClusterInitializer.initialize(
                    installation,
                    account,
                    workDirectory,
                    workDirectory.resolve("data"),
                    SUPERUSER,
                    options.password,
                    options.startupTimeout);
            int versionNum = installation.serverVersionNum(account, workDirectory);
            server =
                    new EmbeddedPostgres(
                            installation, account, workDirectory, options.password, options.startupTimeout,
                            versionNum);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            server.settings = server.defaultSettings();
            server.settings.putAll(options.settings);
            server.startOnFirstFreePort(options.port);
            LOG.info(
                    "Started PostgreSQL {} on {}:{} in {} ms (files in {})",
                    versionNum / 10000 + "." + versionNum % 10000,
                    HOST,
                    server.port,
                    (System.nanoTime() - started) / 1_000_000,
                    workDirectory);
            return server;
        } catch (RuntimeException | IOException | InterruptedException e) {
            if (server != null) {
                server.close();
            } else {
                deleteQuietly(workDirectory);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new PostgresStartException("Cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private void startOnFirstFreePort(int requestedPort) {
        for (int attempt = 1; ; attempt++) {
            port = requestedPort != 0 ? requestedPort : freePort();
            long logOffset = log.size();
            try {
                process = ServerProcess.start(
                        installation, account, workDirectory, dataDirectory, port, settings, log, timeout);
                return;
            } catch (PostgresStartException e) {
                // Another process may take the free port between our probe and the server's bind.
                boolean portTaken = log.tail(logOffset).contains("could not bind");
                if (requestedPort != 0 || !portTaken || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("Port {} was taken before PostgreSQL bound it; trying another", port);
            }
        }
    }

    private Map<String, String> defaultSettings() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("listen_addresses", HOST);
        // Unix sockets are a convenience (psql -h <dir>); a long temp path would not fit in one.
        boolean socketFits =
                workDirectory.resolve(".s.PGSQL.65535").toString().getBytes(StandardCharsets.UTF_8).length
                        <= MAX_SOCKET_PATH;
        defaults.put("unix_socket_directories", socketFits ? workDirectory.toString() : "");
        defaults.putAll(TEST_SETTINGS);
        return defaults;
    }

    private static Map<String, String> orderedSettings(String... namesAndValues) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(settings);
    }

    private static Path createWorkDirectory(PostgresVersion version, ServerAccount account) {
        try {
            Path directory =
                    Files.createTempDirectory("pgoutput-pg" + version.major() + "-").toAbsolutePath();
            account.requireReachable(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for PostgreSQL", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    /**
     * Stops the server and starts it again on the same data directory and port, as a crash
     * recovery or failover test needs. Sessions and replication connections are cut.
     *
     * @throws PostgresStartException if the server does not come back
     */
    public synchronized void restart() {
        restart(Map.of());
    }

    /**
     * Stops the server with the given shutdown mode and starts it again on the same data directory and
     * port. {@link ShutdownMode#IMMEDIATE} behaves like a crash: the next start runs crash recovery.
     *
     * @param mode how to stop
     * @throws PostgresStartException if the server does not come back
     */
    public synchronized void restart(ShutdownMode mode) {
        requireOpen();
        process.stop(timeout, mode);
        process = ServerProcess.start(
                installation, account, workDirectory, dataDirectory, port, settings, log, timeout);
    }

    /**
     * Stops the server and starts it again with some settings changed, for settings that need a
     * restart ({@code wal_level}, {@code max_replication_slots}, …).
     *
     * @param settingChanges settings to add or override, as {@code -c name=value} would
     * @throws PostgresStartException if the server does not come back
     */
    public synchronized void restart(Map<String, String> settingChanges) {
        requireOpen();
        Builder.requireNoPort(settingChanges);
        process.stop(timeout);
        settings.putAll(settingChanges);
        process = ServerProcess.start(
                installation, account, workDirectory, dataDirectory, port, settings, log, timeout);
    }

    /**
     * Stops the server and deletes its files. Does nothing if already closed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        shutdown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it will find the server closed.
        }
    }

    private synchronized void closeAtShutdown() {
        if (!closed) {
            shutdown();
        }
    }

    private void shutdown() {
        closed = true;
        if (process != null) {
            process.stop(timeout);
        }
        deleteQuietly(workDirectory);
        LOG.debug("Stopped PostgreSQL on port {} and deleted {}", port, workDirectory);
    }

    private static void deleteQuietly(Path directory) {
        try {
            FileTrees.deleteRecursively(directory);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}", directory, e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("This server has been closed");
        }
    }

    /**
     * Returns the host the server listens on.
     *
     * @return {@value #HOST}
     */
    @Override
    public String host() {
        return HOST;
    }

    /**
     * Returns the port; it stays the same across restarts.
     *
     * @return the TCP port
     */
    @Override
    public synchronized int port() {
        return port;
    }

    /**
     * Returns the database created by initdb.
     *
     * @return {@code postgres}
     */
    @Override
    public String database() {
        return "postgres";
    }

    /**
     * Returns the superuser.
     *
     * @return {@value #SUPERUSER}
     */
    @Override
    public String user() {
        return SUPERUSER;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public int majorVersion() {
        return installation.version().major();
    }

    @Override
    public int serverVersionNum() {
        return serverVersionNum;
    }

    /**
     * Returns the version this server was started from.
     *
     * @return the version
     */
    public PostgresVersion version() {
        return installation.version();
    }

    /**
     * Returns the settings passed to the server as {@code -c} options: the defaults overridden by
     * the builder's settings and by {@link #restart(Map)}.
     *
     * @return an unmodifiable copy
     */
    public synchronized Map<String, String> settings() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Returns the data directory (owned by the server account).
     *
     * @return the data directory
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Writes a file into the data directory, owned by the server account and readable by it alone
     * (mode 0600, which PostgreSQL demands of a private key), for files the server reads from there, such
     * as {@code server.crt} and {@code server.key}. The server sees it at the next start or reload.
     *
     * @param name    the file name, relative to the data directory
     * @param content the bytes
     */
    public synchronized void writeDataFile(String name, byte[] content) {
        requireOpen();
        Path file = dataDirectory.resolve(name).normalize();
        if (!file.startsWith(dataDirectory)) {
            throw new IllegalArgumentException(name + " is outside the data directory");
        }
        try {
            Files.write(file, content);
            Files.setPosixFilePermissions(file, PosixPermissions.fromMode(0600));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        account.takeOwnership(file);
    }

    /**
     * Returns the file that receives the server's log output, across restarts.
     *
     * @return the log file
     */
    public Path logFile() {
        return log.file();
    }

    /**
     * Returns whether the server process is running.
     *
     * @return {@code true} between a successful start and {@link #close()}
     */
    public synchronized boolean isRunning() {
        return !closed && process != null && process.isAlive();
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[PostgreSQL " + serverVersionNum / 10000 + "." + serverVersionNum % 10000
                + " at " + HOST + ":" + port + "]";
    }

    /**
     * Options for starting an {@link EmbeddedPostgres}.
     *
     * <pre>{@code
     * EmbeddedPostgres pg = EmbeddedPostgres.builder()
     *     .version(16)
     *     .setting("wal_level", "replica") // overrides the default "logical"
     *     .startupTimeout(Duration.ofSeconds(30))
     *     .start();
     * }</pre>
     */
    public static final class Builder {

        private PostgresVersion version = PostgresVersion.defaultVersion();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private int port;
        private String password = DEFAULT_PASSWORD;

        private Builder() {}

        /**
         * Chooses the major version.
         *
         * @param major 12 to 18
         * @return this builder
         */
        public Builder version(int major) {
            return version(PostgresVersion.of(major));
        }

        /**
         * Chooses the version.
         *
         * @param version the version
         * @return this builder
         */
        public Builder version(PostgresVersion version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Adds a server setting, passed as {@code -c name=value}; it overrides the test kit's
         * default for the same name (for example {@code wal_level}).
         *
         * @param name a setting name such as {@code max_wal_senders}
         * @param value its value, without quotes
         * @return this builder
         */
        public Builder setting(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            requireNoPort(Map.of(name, value));
            settings.put(name, value);
            return this;
        }

        /**
         * Adds several server settings, as {@link #setting(String, String)} does.
         *
         * @param settings names and values
         * @return this builder
         */
        public Builder settings(Map<String, String> settings) {
            settings.forEach(this::setting);
            return this;
        }

        /**
         * Sets how long initdb and the start-up may take before failing; 60 seconds by default.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("The start-up timeout must be positive: " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Sets the port; by default a free port is chosen.
         *
         * @param port 1 to 65535, or 0 for a free port
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Not a port: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the password of the {@value EmbeddedPostgres#SUPERUSER} superuser, {@value
         * EmbeddedPostgres#DEFAULT_PASSWORD} by default.
         *
         * @param password a non-empty password
         * @return this builder
         */
        public Builder password(String password) {
            if (password == null || password.isEmpty() || password.contains("\n")) {
                throw new IllegalArgumentException("The password must be one non-empty line");
            }
            this.password = password;
            return this;
        }

        /**
         * Unpacks the binaries if needed, creates a data directory and starts the server.
         *
         * @return the running server, to be closed by the caller
         * @throws PostgresStartException if initdb fails, the server exits during start-up or is not
         *     ready within the timeout; the message ends with the relevant log lines
         */
        public EmbeddedPostgres start() {
            return EmbeddedPostgres.start(this);
        }

        static void requireNoPort(Map<String, String> settings) {
            if (settings.containsKey("port")) {
                // port() must report what the server listens on; -c port would silently differ.
                throw new IllegalArgumentException("Set the port with Builder.port(int), not a setting");
            }
        }
    }
}
