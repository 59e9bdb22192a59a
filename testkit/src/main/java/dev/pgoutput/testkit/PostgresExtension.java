package dev.pgoutput.testkit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.BeforeAllCallback;
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
 * <p><b>Isolated servers</b> ({@link #isolated()}) belong to one test class and are stopped after
 * it, for tests that restart, reconfigure or break their server. They are always embedded.
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
 * }</pre>
 *
 * <p>Register one instance per class when resolving parameters: two instances would both offer
 * to resolve the same parameter type. With several, use {@link #server()} in each.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);

    private static final Logger LOG = LoggerFactory.getLogger(PostgresExtension.class);

    private final PostgresVersion version;
    private final Map<String, String> settings;
    private final boolean isolated;
    private volatile PostgresServer lastResolved;

    /** Creates an extension for a shared server of the default version, for {@code @ExtendWith}. */
    public PostgresExtension() {
        this(PostgresVersion.defaultVersion(), Map.of(), false);
    }

    private PostgresExtension(PostgresVersion version, Map<String, String> settings, boolean isolated) {
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
        return new PostgresExtension(version, Map.of(), false);
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
        return new PostgresExtension(version, settings, true);
    }

    /**
     * Returns the server this extension provided last, for use in fields and helpers after
     * {@code @BeforeAll}. With isolated servers and test classes running in parallel, prefer
     * parameters, which always name the server of the running class.
     *
     * @return the server
     * @throws IllegalStateException before the extension has run (for example when it is
     *     registered in an instance field and no test has started yet)
     */
    public PostgresServer server() {
        PostgresServer server = lastResolved;
        if (server == null) {
            throw new IllegalStateException(
                    "No server yet: register the extension in a static field or take it as a parameter");
        }
        return server;
    }

    /** Starts (or finds) the server before {@code @BeforeAll} methods run. */
    @Override
    public void beforeAll(ExtensionContext context) {
        serverFor(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == PostgresServer.class || type == EmbeddedPostgres.class;
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
        PostgresServer server = isolated ? isolatedServer(context) : sharedServer(context);
        lastResolved = server;
        return server;
    }

    private PostgresServer sharedServer(ExtensionContext context) {
        // The root store lives for the whole run and closes AutoCloseable values at its end.
        return context
                .getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        new SharedKey(version, settings), key -> externalOrStarted(), PostgresServer.class);
    }

    private PostgresServer externalOrStarted() {
        var external = ExternalPostgres.fromEnvironment();
        if (external.isEmpty()) {
            return start();
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
                .getOrComputeIfAbsent(new IsolatedKey(this), key -> start(), EmbeddedPostgres.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private EmbeddedPostgres start() {
        return EmbeddedPostgres.builder().version(version).settings(settings).start();
    }

    @Override
    public String toString() {
        return "PostgresExtension[" + version.major() + (isolated ? ", isolated" : "")
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
