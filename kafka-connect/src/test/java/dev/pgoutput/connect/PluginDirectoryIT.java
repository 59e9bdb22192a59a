package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plugin directory that {@code package} builds ({@code target/plugin/pgoutput-kafka-connect/}) is complete on
 * its own: loaded the way a worker loads a plugin — its jars in a class loader of their own, above one that holds
 * only what a worker provides (connect-api, kafka-clients, slf4j) — the connector is found through {@code
 * META-INF/services} and its task streams a real change. A jar missing from the directory (the transport, the
 * decoder, pgjdbc) fails here, though the test class path has them all.
 */
class PluginDirectoryIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    private static final Path PLUGIN = Path.of("target", "plugin", "pgoutput-kafka-connect");

    /** How long the task may take to deliver the one change before the test fails. */
    private static final Duration POLL_DEADLINE = Duration.ofSeconds(30);

    @Test
    void holdsTheConnectorAndItsDependenciesButNothingTheWorkerProvides() throws IOException {
        List<String> jars = jarNames();
        for (String expected : List.of("pgoutput-kafka-connect-", "pgoutput-core-api-", "pgoutput-transport-pgjdbc-",
                "pgoutput-decoder-bytebuffer-", "pgoutput-serde-json-", "postgresql-", "jackson-core-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(expected)), expected + "*.jar in " + jars);
        }
        for (String provided : List.of("connect-", "kafka-", "slf4j-")) {
            assertFalse(jars.stream().anyMatch(j -> j.startsWith(provided)), "no " + provided + "*.jar in " + jars);
        }
    }

    @Test
    void streamsAChangeWhenLoadedInIsolation() throws Exception {
        ClassLoader worker = new URLClassLoader(new URL[] {
            jarOf(org.apache.kafka.connect.source.SourceConnector.class),
            jarOf(org.apache.kafka.common.config.ConfigDef.class),
            jarOf(org.slf4j.Logger.class),
            jarOf(org.slf4j.simple.SimpleServiceProvider.class)}, ClassLoader.getPlatformClassLoader());
        List<URL> pluginJars = new ArrayList<>();
        for (String jar : jarNames()) {
            pluginJars.add(PLUGIN.resolve(jar).toUri().toURL());
        }
        try (TestDatabase db = TestDatabase.create(PG.server(), "plugin_dir");
             URLClassLoader plugin = new URLClassLoader(pluginJars.toArray(URL[]::new), worker)) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            db.createPublication("public.items");
            String prefix = TestDatabase.unique("iso");
            Map<String, String> config = db.connectorConfig(db.newSlot(), prefix);

            Object connector = withLoader(plugin, () -> onlyConnector(worker, plugin));
            assertSame(plugin, connector.getClass().getClassLoader(), "the connector comes from the plugin directory");
            Class<?> taskClass = (Class<?>) call(connector, "taskClass");
            Object task = taskClass.getConstructor().newInstance();
            withLoader(plugin, () -> call(task, "start", config));
            try {
                db.execute("INSERT INTO items VALUES (1, 'apple')");
                List<?> records = withLoader(plugin, () -> pollUntilRecords(task));
                assertEquals(1, records.size(), records.toString());
                assertEquals(prefix + ".public.items", call(records.get(0), "topic"));
                // The envelope Struct, of the isolated loader's Connect classes: its text shows the row.
                assertTrue(String.valueOf(call(records.get(0), "value")).contains("name=apple"), records.toString());
            } finally {
                withLoader(plugin, () -> call(task, "stop"));
            }
        }
    }

    private static Object onlyConnector(ClassLoader worker, ClassLoader plugin) throws ClassNotFoundException {
        Class<?> service = worker.loadClass("org.apache.kafka.connect.source.SourceConnector");
        Iterator<?> found = ServiceLoader.load(service, plugin).iterator();
        assertTrue(found.hasNext(), "no SourceConnector registered in META-INF/services");
        Object connector = found.next();
        assertEquals(PgOutputSourceConnector.class.getName(), connector.getClass().getName());
        assertFalse(found.hasNext(), "one connector only");
        return connector;
    }

    private static List<?> pollUntilRecords(Object task) throws Exception {
        long deadline = System.nanoTime() + POLL_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            List<?> records = (List<?>) call(task, "poll");
            if (records != null) {
                return records;
            }
        }
        throw new AssertionError("the task delivered nothing within " + POLL_DEADLINE.toSeconds() + " s");
    }

    private static List<String> jarNames() throws IOException {
        assertTrue(Files.isDirectory(PLUGIN), PLUGIN.toAbsolutePath() + " is missing: run ./mvnw package first");
        try (Stream<Path> files = Files.list(PLUGIN)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }

    private static URL jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    /** Calls a public no-argument or one-{@code Map}-argument method by name, across class loaders. */
    private static Object call(Object target, String method, Object... args) throws Exception {
        Method m = args.length == 0 ? target.getClass().getMethod(method)
                : target.getClass().getMethod(method, Map.class);
        return m.invoke(target, args);
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    /** Runs with the plugin's loader as the thread's context loader, as a worker runs a plugin's code. */
    private static <T> T withLoader(ClassLoader loader, Action<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
