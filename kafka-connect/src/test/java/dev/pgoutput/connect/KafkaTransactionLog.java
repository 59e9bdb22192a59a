package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What Kafka holds of a transactional producer's work, read back for tests: committed records grouped by Kafka
 * transaction, and the source offsets an exactly-once worker committed, one per Kafka transaction.
 *
 * <p>Grouping: on one partition a transaction's commit marker is a control record that takes an offset of its own
 * and that consumers never see, so a gap in the offsets of the records a {@code read_committed} consumer gets
 * separates two transactions. The assumption is checked, not trusted: the partition's log segments are read from
 * the broker's log directory and every gap must be exactly one COMMIT marker (an ABORT marker anywhere fails).
 * The segment format is Kafka's internal record classes ({@code org.apache.kafka.common.record.internal}): fine for
 * a test pinned to Kafka 4.3.1.
 *
 * <pre>{@code
 * List<List<CapturedRecord>> groups = KafkaTransactionLog.committedGroups(CONNECT, "prefix.public.items");
 * List<JsonNode> offsets = KafkaTransactionLog.committedOffsets(CONNECT, "offsets-topic", "connector-name");
 * }</pre>
 */
final class KafkaTransactionLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTransactionLog() {
    }

    /**
     * The committed records of a single-partition topic, grouped by Kafka transaction in log order. Fails when the
     * topic has more than one partition or a gap is not exactly one COMMIT marker.
     */
    static List<List<CapturedRecord>> committedGroups(ConnectCluster connect, String topic) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = readCommitted(connect, topic);
        List<List<CapturedRecord>> groups = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        long previous = -1;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (groups.isEmpty() || r.offset() != previous + 1) {
                if (!groups.isEmpty()) {
                    for (long o = previous + 1; o < r.offset(); o++) {
                        gaps.add(o);
                    }
                }
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(CapturedRecord.decode(r));
            previous = r.offset();
        }
        // The last group is followed by its marker too, unless nothing was read.
        if (previous >= 0) {
            gaps.add(previous + 1);
        }
        Map<Long, ControlRecordType> markers = controlRecords(connect, new TopicPartition(topic, 0));
        Map<Long, ControlRecordType> expected = new HashMap<>();
        gaps.forEach(o -> expected.put(o, ControlRecordType.COMMIT));
        assertEquals(expected, markers, "on " + topic + " the offsets between committed records are exactly the"
                + " COMMIT markers of the log (offset -> marker)");
        return groups;
    }

    /**
     * Every record of a single-partition topic up to its last stable offset, as a {@code read_committed} consumer
     * gets them: what committed transactions hold (and every record of a non-transactional producer), without
     * waiting for an open transaction to end.
     */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(ConnectCluster connect, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(connect)) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            assertEquals(1, infos.size(), "topic " + topic + " must have one partition: " + infos);
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            // For a read_committed consumer the end is the last stable offset: every transaction decided there.
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
            while (consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to offset " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The control records of a partition's log, by offset, read from the segment files of the one broker. */
    private static Map<Long, ControlRecordType> controlRecords(ConnectCluster connect, TopicPartition tp)
            throws Exception {
        Path dir = partitionDirectory(connect, tp);
        Map<Long, ControlRecordType> markers = new HashMap<>();
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        for (Path segment : segments) {
            // A batch being appended while we read is cut short and left out by the reader: it is after our records.
            MemoryRecords log = MemoryRecords.readableRecords(ByteBuffer.wrap(Files.readAllBytes(segment)));
            for (RecordBatch batch : log.batches()) {
                if (batch.isControlBatch()) {
                    var record = batch.iterator().next();
                    markers.put(record.offset(), ControlRecordType.parse(record.key()));
                }
            }
        }
        return markers;
    }

    private static Path partitionDirectory(ConnectCluster connect, TopicPartition tp) throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            int broker = admin.describeCluster().nodes().get().iterator().next().id();
            var dirs = admin.describeLogDirs(Set.of(broker)).allDescriptions().get().get(broker);
            for (var e : dirs.entrySet()) {
                if (e.getValue().replicaInfos().containsKey(tp)) {
                    return Path.of(e.getKey(), tp.topic() + "-" + tp.partition());
                }
            }
            throw new AssertionError("no log directory of broker " + broker + " holds " + tp + ": " + dirs.keySet());
        }
    }

    /**
     * The source offsets committed for {@code connector} on an offsets topic of its own, in commit order: an
     * exactly-once worker writes them inside each Kafka transaction of the task, one per source partition, so
     * with one source partition each is one Kafka transaction, naming its last record.
     */
    static List<JsonNode> committedOffsets(ConnectCluster connect, String offsetsTopic, String connector)
            throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(connect)) {
            List<TopicPartition> partitions = consumer.partitionsFor(offsetsTopic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + offsetsTopic + " to its end " + ends);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            List<JsonNode> offsets = new ArrayList<>();
            Integer partition = null;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                JsonNode key = JSON.readTree(r.key());
                if (!connector.equals(key.get(0).asText()) || r.value() == null) {
                    continue;
                }
                // One key, one partition: the order of the partition is the order of the commits.
                if (partition != null && partition != r.partition()) {
                    throw new AssertionError("offsets of " + connector + " on two partitions");
                }
                partition = r.partition();
                offsets.add(JSON.readTree(r.value()));
            }
            return offsets;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(ConnectCluster connect) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.kafka().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props);
    }
}
