package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.testkit.PostgresExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A measurement, not a test (its name matches neither Surefire's nor Failsafe's patterns, so the build never runs
 * it): records/s end to end into Kafka, this connector against Debezium 3.6.1 in the same in-JVM cluster, each on
 * a slot of its own created before the workload, so both read the same WAL from the same point. Run:
 *
 * <pre>
 * ./mvnw -pl kafka-connect verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ConnectThroughputBench -Dfailsafe.failIfNoSpecifiedTests=false [-Dbench.rows=200000]
 * </pre>
 *
 * <p>The workload is bench W1's table (bigint key, text, numeric(12,2), timestamptz, boolean, jsonb) inserted in
 * 10,000-row transactions. Each connector is timed from its creation to the moment a counting consumer has read
 * every record of its topic (the worker's JsonConverter with schemas, Connect's producer defaults), in the order
 * ours, Debezium, ours again (the second run of ours shows what a warm JVM changes); then both again with
 * producer settings tuned for throughput ({@link #TUNED}).
 */
class ConnectThroughputBench {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    private static final int ROWS = Integer.getInteger("bench.rows", 200_000);

    /**
     * Producer settings for throughput, per connector ({@code producer.override.*}, which Connect 3.0+ allows by
     * default): batches that fill, a little linger, five requests in flight with idempotence keeping the order.
     */
    private static final Map<String, String> TUNED = Map.of("producer.override.linger.ms", "10",
            "producer.override.batch.size", "524288", "producer.override.max.in.flight.requests.per.connection", "5",
            "producer.override.enable.idempotence", "true", "producer.override.compression.type", "lz4");

    @Test
    void oursAgainstDebezium() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "bench")) {
            db.execute("CREATE TABLE w1 (id bigint PRIMARY KEY, name text, amount numeric(12,2), at timestamptz, "
                    + "flag boolean, doc jsonb)");
            db.createPublication("public.w1");
            String ours1 = db.newSlot();
            String dbz = db.newSlot();
            String ours2 = db.newSlot();
            String oursTuned = db.newSlot();
            String dbzTuned = db.newSlot();
            for (String slot : List.of(ours1, dbz, ours2, oursTuned, dbzTuned)) {
                db.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            }
            for (int from = 1; from <= ROWS; from += 10_000) {
                db.execute("INSERT INTO w1 SELECT g, 'name ' || g, g * 1.25, now(), g % 2 = 0, "
                        + "jsonb_build_object('id', g, 'tags', jsonb_build_array('a', 'b')) FROM generate_series("
                        + from + ", " + Math.min(ROWS, from + 9_999) + ") g");
            }
            String ours = PgOutputSourceConnector.class.getName();
            String debezium = "io.debezium.connector.postgresql.PostgresConnector";
            double first = run(db, "ours-1", ours1, ours, Map.of());
            double theirs = run(db, "debezium", dbz, debezium, Map.of());
            double second = run(db, "ours-2", ours2, ours, Map.of());
            System.out.printf("[ConnectThroughputBench] %d rows, Connect's producer defaults: ours %.0f then %.0f "
                    + "records/s, Debezium %.0f records/s: %.2fx / %.2fx%n", ROWS, first, second, theirs,
                    first / theirs, second / theirs);
            double tunedOurs = run(db, "ours-tuned", oursTuned, ours, TUNED);
            double tunedTheirs = run(db, "debezium-tuned", dbzTuned, debezium, TUNED);
            System.out.printf("[ConnectThroughputBench] tuned producer %s: ours %.0f, Debezium %.0f records/s: %.2fx%n",
                    TUNED, tunedOurs, tunedTheirs, tunedOurs / tunedTheirs);
        }
    }

    /** Runs one connector over the whole workload and returns records/s from its creation to the last record. */
    private static double run(TestDatabase db, String name, String slot, String connectorClass,
            Map<String, String> producer) throws Exception {
        String prefix = TestDatabase.unique(name.replace("-", ""));
        Map<String, String> config = DebeziumReferenceIT.debeziumConfig(db, slot, prefix);
        config.put("connector.class", connectorClass);
        config.putAll(producer);
        String topic = prefix + ".public.w1";
        long begin = System.nanoTime();
        CONNECT.startConnector(name, config);
        try {
            long read = count(topic, ROWS);
            double seconds = (System.nanoTime() - begin) / 1e9;
            assertEquals(ROWS, read, name + " delivered every row");
            System.out.printf("[ConnectThroughputBench] %s: %d records in %.1f s, %.0f records/s%n", name, read, seconds,
                    read / seconds);
            return read / seconds;
        } finally {
            CONNECT.deleteConnector(name);
            db.awaitSlotInactive(slot);
        }
    }

    /** Counts records of the topic's partitions from the beginning until {@code expected} arrived (or 10 minutes). */
    private static long count(String topic, int expected) throws InterruptedException {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, CONNECT.kafka().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos == null || infos.isEmpty()) {
                    Thread.sleep(50);
                    continue;
                }
                partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            while (read < expected && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            return read;
        }
    }
}
