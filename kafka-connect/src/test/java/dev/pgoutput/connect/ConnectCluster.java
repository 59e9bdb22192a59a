package dev.pgoutput.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving tests one in-JVM Kafka + Connect cluster (Kafka 4.3.1's {@link
 * EmbeddedConnectCluster}: one KRaft broker, one distributed worker), started on first use and shared by every
 * test class of the run (it is kept in the root context's store and stopped when the run ends): start-up costs
 * several seconds. Tests keep apart by names: connectors, topic prefixes, slots and databases of their own.
 *
 * <p>A test class that changes the cluster itself (stops its brokers, removes its worker) or needs other worker
 * properties (exactly-once support) takes a cluster of its own with {@link #ownCluster}: started before the
 * class's first test and stopped after its last, so the shared one is never touched.
 *
 * <p>The worker converts with {@code JsonConverter} ({@code schemas.enable=true}) for keys and values and the
 * default {@code SimpleHeaderConverter} for headers, as a typical Debezium deployment does; {@link
 * #consume} decodes with the same converters, so a test sees key, value, both schemas and headers as a sink would.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ConnectCluster CONNECT = new ConnectCluster();
 *
 * CONNECT.startConnector("inventory", config);
 * List<CapturedRecord> records = CONNECT.consume(3, "inventory.public.items");
 * CONNECT.deleteConnector("inventory");
 * }</pre>
 */
final class ConnectCluster implements BeforeAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectCluster.class);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConnectCluster.class);

    /** How long {@link #consume} waits for the records before failing the test (a deadline, not a measurement). */
    static final Duration CONSUME_DEADLINE = Duration.ofSeconds(60);

    /** The cluster's name (group id and internal topics) and the worker properties on top of the defaults. */
    private final String name;
    private final Map<String, String> workerOverrides;
    /** Whether the cluster is the run's shared one, or this test class's own. */
    private final boolean shared;

    private volatile Running running;

    /** The run's shared cluster. */
    ConnectCluster() {
        this("pgoutput-it", Map.of(), true);
    }

    private ConnectCluster(String name, Map<String, String> workerOverrides, boolean shared) {
        this.name = name;
        this.workerOverrides = Map.copyOf(workerOverrides);
        this.shared = shared;
    }

    /**
     * A cluster of the registering test class's own, with {@code workerOverrides} on top of the shared cluster's
     * worker properties (for example {@code exactly.once.source.support=enabled}).
     *
     * @param name the cluster's name, for its group id and internal topics, and the logs
     */
    static ConnectCluster ownCluster(String name, Map<String, String> workerOverrides) {
        return new ConnectCluster(name, workerOverrides, false);
    }

    /** The cluster of the run, and when its start-up was measured. */
    private record Running(EmbeddedConnectCluster cluster, Duration startup) implements AutoCloseable {
        @Override
        public void close() {
            cluster.stop();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // The root store lives until the run ends, a test class's store until the class is done. A class's store
        // also answers with what its parents hold under the same namespace and key: an own cluster has a
        // namespace of its own, or it would get the shared one when another class started that first.
        ExtensionContext.Store store = shared ? context.getRoot().getStore(NAMESPACE)
                : context.getStore(ExtensionContext.Namespace.create(ConnectCluster.class, "own", name));
        running = store.getOrComputeIfAbsent(Running.class, key -> start(), Running.class);
    }

    private Running start() {
        Properties broker = new Properties();
        broker.put("auto.create.topics.enable", "true");
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");

        Map<String, String> worker = new HashMap<>();
        worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("key.converter.schemas.enable", "true");
        worker.put("value.converter.schemas.enable", "true");
        // Offsets are committed (and Debezium confirms its slot) every second instead of every minute, so that
        // tests about offsets need not wait; tests about the flush itself set their own interval.
        worker.put("offset.flush.interval.ms", "1000");
        // Plugins are found through META-INF/services only: scanning the whole test class path by reflection
        // costs seconds, and every plugin used here (ours, Debezium's, Connect's own) registers itself.
        worker.put("plugin.discovery", "service_load");
        worker.putAll(workerOverrides);

        EmbeddedConnectCluster.Builder builder = new EmbeddedConnectCluster.Builder();
        // One call per line: the inherited setters return a type that is not public.
        builder.name(name);
        builder.numWorkers(1);
        builder.numBrokers(1);
        builder.brokerProps(broker);
        builder.workerProps(worker);
        builder.maskExitProcedures(true);
        EmbeddedConnectCluster cluster = builder.build();
        long begin = System.nanoTime();
        cluster.start();
        try {
            cluster.assertions().assertExactlyNumWorkersAreUp(1, "the Connect worker did not start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - begin);
        LOG.info("Kafka + Connect cluster {} (1 broker, 1 worker{}) started in {} ms", name,
                workerOverrides.isEmpty() ? "" : ", " + workerOverrides, startup.toMillis());
        return new Running(cluster, startup);
    }

    /** The running cluster, for what the helpers here do not cover (REST calls, offsets, topics). */
    EmbeddedConnectCluster cluster() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("No cluster yet: register ConnectCluster in a static field");
        }
        return r.cluster();
    }

    /** The broker side of the cluster. */
    EmbeddedKafkaCluster kafka() {
        return cluster().kafka();
    }

    /** How long the cluster took to start (broker, worker, and the worker joining its group). */
    Duration startup() {
        return running.startup();
    }

    /**
     * Creates (or reconfigures) a connector and waits until it and its one task run.
     *
     * @param name the connector's name
     * @param config its configuration, {@code connector.class} included
     */
    void startConnector(String name, Map<String, String> config) throws InterruptedException {
        startConnector(name, config, 1);
    }

    /**
     * Creates (or reconfigures) a connector and waits until it and exactly {@code tasks} tasks run (fails when
     * another number of tasks runs).
     */
    void startConnector(String name, Map<String, String> config, int tasks) throws InterruptedException {
        cluster().configureConnector(name, config);
        try {
            cluster().assertions().assertConnectorAndExactlyNumTasksAreRunning(name, tasks, "not running");
        } catch (AssertionError e) {
            throw new AssertionError("connector " + name + " and its " + tasks + " task(s) did not start: "
                    + statusOf(name), e);
        }
    }

    /**
     * Stops a connector (Connect's STOPPED state: its tasks are shut down, its configuration and offsets kept, so
     * it can be resumed, or its class switched) and waits until it is stopped.
     */
    void stopConnector(String name) throws InterruptedException {
        cluster().stopConnector(name);
        cluster().assertions().assertConnectorIsStopped(name, "connector " + name + " did not stop");
    }

    /** Deletes a connector and waits until the worker no longer knows it. */
    void deleteConnector(String name) throws InterruptedException {
        cluster().deleteConnector(name);
        cluster().assertions().assertConnectorDoesNotExist(name, "connector " + name + " was not deleted");
    }

    private String statusOf(String name) {
        try {
            return String.valueOf(cluster().connectorStatus(name));
        } catch (RuntimeException e) {
            return "status unavailable (" + e.getMessage() + ")";
        }
    }

    /**
     * Reads the topics from their beginning until at least {@code count} records arrived, and returns every
     * record read, decoded with the worker's converters, in each partition's order (topics one after another,
     * in the order given). Fails the test when the topics do not all exist, or fewer records arrived, within
     * {@link #CONSUME_DEADLINE}.
     */
    List<CapturedRecord> consume(int count, String... topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // Topics are created by the connectors' producers, never by a test that asks too early.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long deadline = System.nanoTime() + CONSUME_DEADLINE.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = awaitPartitions(consumer, deadline, topics);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> raw = new ArrayList<>();
            while (raw.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("expected at least " + count + " records on " + List.of(topics) + ", got "
                            + raw.size() + " within " + CONSUME_DEADLINE.toSeconds() + " s: "
                            + CapturedRecord.decodeAll(raw));
                }
                consumer.poll(Duration.ofMillis(200)).forEach(raw::add);
            }
            raw.sort(java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) ->
                    List.of(topics).indexOf(r.topic())).thenComparingInt(ConsumerRecord::partition)
                    .thenComparingLong(ConsumerRecord::offset));
            return CapturedRecord.decodeAll(raw);
        }
    }

    private static List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> consumer, long deadline,
            String... topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            while (true) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topic " + topic + " does not exist after " + CONSUME_DEADLINE.toSeconds()
                            + " s; topics: " + consumer.listTopics(Duration.ofSeconds(5)).keySet());
                }
                sleep(Duration.ofMillis(200));
            }
        }
        return partitions;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
