package dev.pgoutput.connect;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.connect.record.RecordMaker;
import dev.pgoutput.schema.SchemaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
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
 * <p>Records are Debezium's (see {@link RecordMaker}): key STRUCT, envelope v2 with Connect schemas from the
 * catalog, tombstones, key changes, context headers. Operations in {@code skipped.operations} (default {@code t},
 * truncations) are not read.
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
    private RecordMaker recordMaker;

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
                .skippedOperations(config.skippedOperations().stream().map(Op::fromCode).toArray(Op[]::new))
                .name(topicPrefix);
        if (config.password() != null) {
            builder.password(config.password());
        }
        recordMaker = new RecordMaker(new RecordMaker.Settings(topicPrefix, "0", RunIds.next(),
                LogicalReplicationReader.version(), config.tombstonesOnDelete(), config.hostname(), config.port(),
                config.databaseName(), config.user(), config.password()),
                SchemaOptions.fromProperties(config.schemaProperties()));
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
                    records.addAll(toRecords(event));
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

    /** Debezium's records of one event (see {@link RecordMaker}), all with the event's source offset. */
    private List<SourceRecord> toRecords(ChangeEvent event) {
        Map<String, Long> offset = Map.of("lsn", event.source().lsn());
        return recordMaker.toRecords(event, sourcePartition, offset);
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
