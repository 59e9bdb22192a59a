package dev.pgoutput.testkit;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that provides a PostgreSQL server to tests, as a parameter of type {@link
 * PostgresServer} or {@link EmbeddedPostgres} (of test methods, constructors and lifecycle
 * methods) or through {@link #server()}.
 *
 * <p><b>Shared servers</b> (the default) are started once per test run for each combination of
 * version and settings, kept in the root extension context and stopped when the run ends. If
 * {@code PGOUTPUT_TEST_URL} (or the system property {@code pgoutput.test.url}) names a server,
 * shared servers are that server whatever version was asked for, and the settings are not
 * applied; tests can check {@link PostgresServer#majorVersion()}.
 *
 * <p>With the system property {@code pgoutput.testkit.servers=testcontainers} (or the environment variable
 * {@code PGOUTPUT_TESTKIT_SERVERS}) shared servers are Docker containers instead; the
 * tests are skipped, saying why, where no Docker engine is reachable. Containers come from the artifact {@code
 * pgoutput-testkit-containers} ({@link ContainerServers}).
 *
 * <p><b>Isolated servers</b> ({@link #isolated()}) belong to one test class and are stopped after
 * it, for tests that restart, reconfigure or break their server. They are always embedded.
 *
 * <p><b>Tests parameterized over the version</b> register {@link #anyVersion()} and ask it for the
 * shared server of each version with {@link #server(int)}: the same server as {@code
 * version(major)} with the same settings gives, in any class of the run.
 *
 * <pre>{@code
 * class SlotIT {
 *   @RegisterExtension
 *   static final PostgresExtension PG = PostgresExtension.version(16);
 *
 *   @Test
 *   void createsSlot(PostgresServer server) throws SQLException {
 *     try (Connection c = server.connect()) { ... }
 *   }
 * }
 *
 * @ExtendWith(PostgresExtension.class) // default version, shared
 * class DefaultVersionIT { ... }
 *
 * @RegisterExtension // a server of its own, restarted by the tests
 * static final PostgresExtension FAULTS = PostgresExtension.version(17).isolated();
 *
 * @RegisterExtension // shared servers of the versions the tests ask for, started on first use
 * static final PostgresExtension STREAMING =
 *     PostgresExtension.anyVersion().withSetting("logical_decoding_work_mem", "64kB");
 *
 * @ParameterizedTest
 * @ValueSource(ints = {14, 17})
 * void streams(int major) throws SQLException {
 *   try (Connection c = STREAMING.server(major).connect()) { ... }
 * }
 * }</pre>
 *
 * <p>Register one instance per class when resolving parameters: two instances would both offer
 * to resolve the same parameter type. With several, use {@link #server()} in each ({@link
 * #anyVersion()} instances resolve no parameters and do not count).
 */
public final class PostgresExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);

    private static final Logger LOG = LoggerFactory.getLogger(PostgresExtension.class);

    /** Empty for {@link #anyVersion()}: the version is chosen per call of {@link #server(int)}. */
    private final Optional<PostgresVersion> version;
    private final Map<String, String> settings;
    private final boolean isolated;
    private volatile PostgresServer lastResolved;
    // The context of the whole run, whose store holds the shared servers; set before the first
    // test of a class, for server(int) calls that come without a context of their own.
    private volatile ExtensionContext root;

    /** Creates an extension for a shared server of the default version, for {@code @ExtendWith}. */
    public PostgresExtension() {
        this(Optional.of(PostgresVersion.defaultVersion()), Map.of(), false);
    }

    private PostgresExtension(
            Optional<PostgresVersion> version, Map<String, String> settings, boolean isolated) {
        this.version = Objects.requireNonNull(version, "version");
        // Sorted, so that the same settings given in another order share a server.
        this.settings = Map.copyOf(new TreeMap<>(settings));
        this.isolated = isolated;
    }

    /**
     * Returns an extension for a shared server of one major version.
     *
     * @param major 12 to 18
     * @return a new extension
     */
    public static PostgresExtension version(int major) {
        return version(PostgresVersion.of(major));
    }

    /**
     * Returns an extension for a shared server of one version.
     *
     * @param version the version
     * @return a new extension
     */
    public static PostgresExtension version(PostgresVersion version) {
        Objects.requireNonNull(version, "version");
        return new PostgresExtension(Optional.of(version), Map.of(), false);
    }

    /**
     * Returns an extension for the shared servers of whichever versions the tests ask for with
     * {@link #server(int)}, as tests parameterized over the version need. It starts no server by
     * itself and resolves no parameters, so it can sit beside a {@link #version(int)} extension
     * that does.
     *
     * @return a new extension
     */
    public static PostgresExtension anyVersion() {
        return new PostgresExtension(Optional.empty(), Map.of(), false);
    }

    /**
     * Returns a copy with one more server setting, overriding the test kit's default of the same
     * name. Shared servers with different settings are different servers.
     *
     * @param name a setting name such as {@code wal_level}
     * @param value its value
     * @return a new extension
     */
    public PostgresExtension withSetting(String name, String value) {
        Map<String, String> changed = new TreeMap<>(settings);
        changed.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new PostgresExtension(version, changed, isolated);
    }

    /**
     * Returns a copy that gives each test class a server of its own, which the tests may restart
     * or break. It is always embedded, even if {@code PGOUTPUT_TEST_URL} is set.
     *
     * @return a new extension
     */
    public PostgresExtension isolated() {
        if (version.isEmpty()) {
            throw new IllegalStateException(
                    "An isolated server has one version: use PostgresExtension.version(major).isolated()");
        }
        return new PostgresExtension(version, settings, true);
    }

    /**
     * Returns the server this extension provided last, for use in fields and helpers after
     * {@code @BeforeAll}. With isolated servers and test classes running in parallel, prefer
     * parameters, which always name the server of the running class.
     *
     * @return the server
     * @throws IllegalStateException before the extension has run (for example when it is
     *     registered in an instance field and no test has started yet), or for {@link
     *     #anyVersion()}, which has no server of its own
     */
    public PostgresServer server() {
        if (version.isEmpty()) {
            throw new IllegalStateException(
                    "PostgresExtension.anyVersion() has no server of its own: call server(major)");
        }
        PostgresServer server = lastResolved;
        if (server == null) {
            throw new IllegalStateException(
                    "No server yet: register the extension in a static field or take it as a parameter");
        }
        return server;
    }

    /**
     * Returns the shared server of one major version with this extension's settings, starting it
     * on first use. It is the server that {@code version(major)} with the same settings gives, in
     * this class or in any other of the run.
     *
     * <p>With an external server ({@code PGOUTPUT_TEST_URL}), that server if it has this major
     * version; otherwise the running test is aborted (reported as skipped), since it asked for a
     * version that is not there.
     *
     * @param major 12 to 18
     * @return the server
     * @throws IllegalStateException before the extension has run (it must be registered in a
     *     static field), or for an isolated extension, whose one server {@link #server()} gives
     */
    public PostgresServer server(int major) {
        return server(PostgresVersion.of(major));
    }

    /**
     * Returns the shared server of one version with this extension's settings, as {@link
     * #server(int)} does.
     *
     * @param version the version
     * @return the server
     * @throws IllegalStateException before the extension has run, or for an isolated extension
     */
    public PostgresServer server(PostgresVersion version) {
        Objects.requireNonNull(version, "version");
        if (isolated) {
            throw new IllegalStateException("An isolated extension has one server: call server()");
        }
        ExtensionContext run = root;
        if (run == null) {
            // beforeAll sets it; JUnit calls that only for extensions registered in static fields.
            throw new IllegalStateException(
                    "Not started: register the extension in a static field, where it runs before the tests");
        }
        PostgresServer server = sharedServer(run, version);
        int major = server.majorVersion();
        Assumptions.assumeTrue(major == version.major(),
                () -> "PostgreSQL " + version.major() + " was asked for; the external server " + server
                        + " is PostgreSQL " + major);
        return server;
    }

    /** Starts (or finds) the server before {@code @BeforeAll} methods run. */
    @Override
    public void beforeAll(ExtensionContext context) {
        root = context.getRoot();
        if (version.isPresent()) {
            try {
                serverFor(context);
            } catch (TestAbortedException e) {
                // Aborting here would report the class as zero tests; beforeEach skips each test, saying why.
                LOG.warn("{}", e.getMessage());
            }
        }
    }

    /** Makes sure the server is there before each test, so that a test without one is reported as skipped. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (version.isPresent()) {
            serverFor(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return version.isPresent() && (type == PostgresServer.class || type == EmbeddedPostgres.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PostgresServer server = serverFor(context);
        if (parameter.getParameter().getType() == EmbeddedPostgres.class
                && !(server instanceof EmbeddedPostgres)) {
            throw new ParameterResolutionException(
                    "The shared server is external (" + server + ", from "
                            + ExternalPostgres.ENVIRONMENT_VARIABLE + "); declare the parameter as "
                            + "PostgresServer, or use PostgresExtension.isolated() for an embedded one");
        }
        return server;
    }

    private PostgresServer serverFor(ExtensionContext context) {
        PostgresServer server =
                isolated ? isolatedServer(context) : sharedServer(context.getRoot(), version.orElseThrow());
        lastResolved = server;
        return server;
    }

    private PostgresServer sharedServer(ExtensionContext run, PostgresVersion version) {
        // The root store lives for the whole run and closes AutoCloseable values at its end.
        return run.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        new SharedKey(version, settings),
                        key -> externalOrStarted(version),
                        PostgresServer.class);
    }

    private PostgresServer externalOrStarted(PostgresVersion version) {
        var external = ExternalPostgres.fromEnvironment();
        if (external.isEmpty()) {
            if (ServerSource.containersRequested()) {
                ContainerServers containers = ServerSource.containers();
                String unavailable = containers == null
                        ? "dev.pgoutput:pgoutput-testkit-containers is not on the test class path"
                        : containers.unavailableReason();
                // Skipped, not failed, and saying why: the user asked for containers where there are none.
                Assumptions.assumeTrue(unavailable == null, () -> "container servers were asked for with "
                        + ServerSource.SYSTEM_PROPERTY + " / " + ServerSource.ENVIRONMENT_VARIABLE + ", but "
                        + unavailable);
                return containers.start(version.major(), settings);
            }
            return start(version);
        }
        if (!settings.isEmpty()) {
            LOG.warn("Settings {} are not applied to the external server {}", settings, external.get());
        }
        return external.get();
    }

    private EmbeddedPostgres isolatedServer(ExtensionContext context) {
        // Looked up from the class context: stores see their parents' values, so @Nested classes
        // reuse the server of the class that started it, and it is closed after that class.
        return classContext(context)
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        new IsolatedKey(this), key -> start(version.orElseThrow()), EmbeddedPostgres.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private EmbeddedPostgres start(PostgresVersion version) {
        return EmbeddedPostgres.builder().version(version).settings(settings).start();
    }

    @Override
    public String toString() {
        return "PostgresExtension[" + version.map(v -> Integer.toString(v.major())).orElse("any version")
                + (isolated ? ", isolated" : "")
                + (settings.isEmpty() ? "" : ", " + settings) + "]";
    }

    /** Identifies a shared server: equal keys share one. */
    private record SharedKey(PostgresVersion version, Map<String, String> settings) {}

    /** Identifies an isolated server by the extension instance that asked for it. */
    private static final class IsolatedKey {
        private final PostgresExtension owner;

        IsolatedKey(PostgresExtension owner) {
            this.owner = owner;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof IsolatedKey that && that.owner == owner;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(owner);
        }
    }
}
