package dev.pgoutput.connect;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.Source;
import dev.pgoutput.json.DebeziumJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's one task: reads the slot with a {@link LogicalReplicationReader} and turns each change
 * event into a {@link SourceRecord} on topic {@code <topic.prefix>.<schema>.<table>}, with source partition
 * {@code {"server": <topic.prefix>}} and source offset {@code {"lsn": <the event's LSN>}}.
 *
 * <p><b>PLACEHOLDER records.</b> The key is null and the value is the event's Debezium JSON as a Connect
 * {@code STRING} (serde-json's {@link DebeziumJson}, compact). Neither is what Debezium writes (a key STRUCT
 * from the primary key, an envelope STRUCT with Connect schemas, tombstones, context headers); that record
 * conversion is the next step and replaces this one. Truncations are skipped, as Debezium's default
 * {@code skipped.operations=t} does.
 *
 * <p><b>Acknowledgement is not safe yet.</b> The reader auto-acknowledges: an event counts as handled once
 * the next one is taken, so the slot may be confirmed past records that Kafka has not acknowledged.
 * {@link #commitRecord(SourceRecord, RecordMetadata)} and {@link #commit()} do nothing so far.
 */
public final class PgOutputSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(PgOutputSourceTask.class);

    /** How long one {@link #poll()} waits for a first event: Connect wants poll to return now and then. */
    private static final Duration FIRST_EVENT_WAIT = Duration.ofMillis(500);

    /** At most this many records per {@link #poll()}, taken without waiting after the first. */
    private static final int MAX_BATCH = 1024;

    private volatile LogicalReplicationReader reader;
    private String topicPrefix;
    private Map<String, String> sourcePartition;

    /** Creates the task; Connect calls {@link #start} next. */
    public PgOutputSourceTask() {
    }

    @Override
    public String version() {
        return LogicalReplicationReader.version();
    }

    @Override
    public void start(Map<String, String> props) {
        PgOutputConnectorConfig config = new PgOutputConnectorConfig(props);
        topicPrefix = config.topicPrefix();
        sourcePartition = Map.of("server", topicPrefix);
        LogicalReplicationReader.Builder builder = LogicalReplicationReader.builder()
                .host(config.hostname()).port(config.port()).database(config.databaseName())
                .user(config.user())
                .publication(config.publicationName()).slot(config.slotName())
                // Debezium creates its slot when it is missing; a drop-in replacement does too.
                .createSlot(true)
                .skippedOperations(Op.TRUNCATE)
                .name(topicPrefix);
        if (config.password() != null) {
            builder.password(config.password());
        }
        reader = builder.build();
        LOG.info("Streaming slot {} (publication {}) of database {} on {}:{} to topics {}.*",
                config.slotName(), config.publicationName(), config.databaseName(), config.hostname(),
                config.port(), topicPrefix);
    }

    @Override
    public List<SourceRecord> poll() {
        LogicalReplicationReader current = reader;
        if (current == null) {
            return null;
        }
        try {
            ChangeEvent event = current.poll(FIRST_EVENT_WAIT);
            if (event == null) {
                return null;
            }
            List<SourceRecord> records = new ArrayList<>();
            while (event != null) {
                if (event.tableName() != null) {
                    records.add(toRecord(event));
                }
                if (records.size() >= MAX_BATCH) {
                    break;
                }
                event = current.poll(Duration.ZERO);
            }
            return records.isEmpty() ? null : records;
        } catch (PgOutputException e) {
            throw new ConnectException("Reading slot failed: " + e.getMessage(), e);
        }
    }

    /** PLACEHOLDER conversion: see the class comment. */
    private SourceRecord toRecord(ChangeEvent event) {
        Source source = event.source();
        String topic = topicPrefix + "." + source.schema() + "." + source.table();
        Map<String, Long> offset = Map.of("lsn", source.lsn());
        return new SourceRecord(sourcePartition, offset, topic, null, null, null,
                Schema.STRING_SCHEMA, DebeziumJson.toJson(event, 0));
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        // TODO(issue 14): track acknowledged records in submission order; confirm the slot only up to the
        // contiguous prefix that Kafka acknowledged and the last offset flush persisted.
    }

    @Override
    public void commit() {
        // TODO(issue 14): see commitRecord; the reader auto-acknowledges meanwhile.
    }

    @Override
    public void stop() {
        // Called from another thread than poll(); the reader may be closed from any thread.
        LogicalReplicationReader current = reader;
        reader = null;
        if (current != null) {
            current.close();
        }
    }
}
