package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Kafka Connect distributed worker ({@code ConnectDistributed}) in a JVM of its own, on this JVM's class path,
 * so that a test can kill it with SIGKILL: no final offset flush, no {@code stop()}, producer batches lost, its
 * replication connection closed by the operating system, as when a worker's machine dies. Several of them with
 * the same {@link #properties} form one Connect cluster; they use a broker of the in-JVM {@link ConnectCluster}.
 *
 * <pre>{@code
 * Path props = WorkerJvm.properties(dir, CONNECT, "group", Map.of());
 * try (WorkerJvm worker = WorkerJvm.start(props, dir.resolve("worker-1.log"))) {
 *     worker.putConnector("name", config);
 *     worker.kill();
 * }
 * }</pre>
 */
final class WorkerJvm implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a worker JVM may take to start and answer on its REST port: only a deadline. */
    static final Duration START_DEADLINE = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final Path log;

    private WorkerJvm(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Writes the properties of a Connect cluster of child workers: {@code connect}'s broker, a group and internal
     * topics named after {@code group}, JSON converters with schemas (as the in-JVM worker), offsets flushed every
     * second, and {@code extra} on top.
     */
    static Path properties(Path dir, ConnectCluster connect, String group, Map<String, String> extra)
            throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", connect.kafka().bootstrapServers());
        p.put("group.id", group);
        for (String store : List.of("config", "offset", "status")) {
            p.put(store + ".storage.topic", group + "-" + store);
            p.put(store + ".storage.replication.factor", "1");
        }
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("offset.flush.interval.ms", "1000");
        p.put("plugin.discovery", "service_load");
        // A departed worker's tasks are reassigned at once, not after the default five minutes.
        p.put("scheduled.rebalance.max.delay.ms", "0");
        p.putAll(extra);
        Files.createDirectories(dir);
        Path file = dir.resolve(group + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "WorkerJvm");
        }
        return file;
    }

    /** Starts a worker with {@code props} on a free REST port, its output in {@code log}, and waits for its API. */
    static WorkerJvm start(Path props, Path log) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(props)) {
            p.load(in);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        p.put("listeners", "http://localhost:" + port);
        Path own = log.resolveSibling(log.getFileName() + ".properties");
        try (var out = Files.newBufferedWriter(own)) {
            p.store(out, "WorkerJvm");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx512m", "--sun-misc-unsafe-memory-access=allow", "-cp",
                System.getProperty("java.class.path"), "org.apache.kafka.connect.cli.ConnectDistributed",
                own.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A test JVM that is stopped before close() leaves no worker behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill " + log.getFileName()));
        WorkerJvm worker = new WorkerJvm(process, port, log);
        worker.awaitRest();
        return worker;
    }

    private void awaitRest() throws Exception {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            assertTrue(process.isAlive(), "the worker JVM exited; see " + log);
            try {
                if (request("GET", "/connectors", null) == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "the worker's REST API did not answer on " + port + "; see " + log);
            Thread.sleep(200);
        }
    }

    /** Creates or updates a connector through this worker's REST API. */
    void putConnector(String name, Map<String, String> config) throws Exception {
        int status = request("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config));
        assertTrue(status / 100 == 2, "PUT connector " + name + ": " + status + "; see " + log);
    }

    /** Deletes a connector through this worker's REST API. */
    void deleteConnector(String name) throws Exception {
        request("DELETE", "/connectors/" + name, null);
    }

    /** One REST call (java.net.http is not read by the module the tests are compiled into); its status code. */
    private int request(String method, String path, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://localhost:" + port + path).toURL()
                .openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (var out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux), and waits until the JVM is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Stops the worker (SIGTERM: Connect's shutdown hook stops it) and waits; kills it if it does not stop. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
