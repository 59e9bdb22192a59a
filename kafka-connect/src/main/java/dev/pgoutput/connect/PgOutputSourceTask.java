package dev.pgoutput.connect;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.connect.record.RecordMaker;
import dev.pgoutput.schema.SchemaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
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
 * <p><b>Offsets and acknowledgement.</b> Each record's source offset is Debezium's ({@link SourcePosition}); on
 * start the stored offset (Debezium's or ours) is read and the events it says were processed are skipped
 * ({@link ResumeFilter}), the slot's confirmed position being the floor. The reader acknowledges manually: the
 * slot is confirmed only up to the contiguous prefix of events whose records Kafka acknowledged and whose
 * offsets the last offset flush persisted ({@link AcknowledgementLedger}, which explains why).
 *
 * <p><b>Exactly-once support</b> (KIP-618, a worker with {@code exactly.once.source.support=enabled}): under
 * {@code transaction.boundary=connector} each PostgreSQL transaction is one Kafka transaction, cut after
 * {@value PgOutputConnectorConfig#TRANSACTION_MAX_RECORDS} records ({@link TransactionBoundaries}); under
 * {@code poll} and {@code interval} Connect draws the boundaries. Either way the records' offsets are committed
 * with them, and the slot follows what the offsets topic holds, as above.
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
    private final AcknowledgementLedger ledger = new AcknowledgementLedger();
    private ResumeFilter resume;
    private TransactionBoundaries boundaries;

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
        ReplicationSettings settings = ReplicationSettings.of(config);
        topicPrefix = config.topicPrefix();
        sourcePartition = Map.of("server", topicPrefix);
        LogicalReplicationReader.Builder builder = connection(config, settings)
                .publication(config.publicationName()).slot(config.slotName())
                // Debezium creates its slot when it is missing; a drop-in replacement does too.
                .createSlot(true)
                // The slot moves only when Kafka has the records and the offsets are stored: see commit().
                .autoAcknowledge(false)
                .name(topicPrefix);
        settings.applyTo(builder);
        if (settings.filtersTables()) {
            builder.tables(selectedTables(config, settings).toArray(String[]::new));
        }
        recordMaker = new RecordMaker(new RecordMaker.Settings(topicPrefix, "0", RunIds.next(),
                LogicalReplicationReader.version(), config.tombstonesOnDelete(), config.hostname(), config.port(),
                config.databaseName(), config.user(), config.password()),
                SchemaOptions.fromProperties(config.schemaProperties()));
        if (settings.slotFailover()) {
            createFailoverSlot(builder, config.slotName());
        }
        // A worker always initializes the task with a context; a task started on its own (embedded in a test or an
        // application without Connect's offset store) has no stored offset and resumes from the slot alone.
        SourcePosition stored = context == null ? null
                : SourcePosition.fromOffset(context.offsetStorageReader().offset(sourcePartition));
        resume = new ResumeFilter(stored);
        // Only an exactly-once worker running the connector with transaction.boundary=connector gives a context.
        TransactionContext transactions = context == null ? null : context.transactionContext();
        boundaries = new TransactionBoundaries(transactions, config.transactionMaxRecords());
        if (transactions != null) {
            LOG.info("One Kafka transaction per PostgreSQL transaction, at most {} records each ({})",
                    config.transactionMaxRecords(), PgOutputConnectorConfig.TRANSACTION_MAX_RECORDS);
        }
        reader = builder.build();
        LOG.info("Resuming after stored offset {} (the slot's confirmed position is the floor)",
                stored == null ? "none" : stored.toOffset());
        LOG.info("Streaming slot {} (publication {}) of database {} on {}:{} to topics {}.*",
                config.slotName(), config.publicationName(), config.databaseName(), config.hostname(),
                config.port(), topicPrefix);
    }

    /** A builder with the connection and TLS properties only (for the reader, and validate()'s slot check). */
    static LogicalReplicationReader.Builder connection(PgOutputConnectorConfig config, ReplicationSettings settings) {
        LogicalReplicationReader.Builder builder = LogicalReplicationReader.builder()
                .host(config.hostname()).port(config.port()).database(config.databaseName()).user(config.user());
        if (config.password() != null) {
            builder.password(config.password());
        }
        settings.ssl().forEach(builder::property);
        return builder;
    }

    /** The publication's tables that {@code table.include.list} / {@code table.exclude.list} let through. */
    private static List<String> selectedTables(PgOutputConnectorConfig config, ReplicationSettings settings) {
        try (java.sql.Connection c = PublicationCatalog.connect(config, settings)) {
            List<String> published = PublicationCatalog.publishedTables(c, config.publicationName())
                    .orElseThrow(() -> new ConnectException("publication " + config.publicationName()
                            + " does not exist; " + PublicationCatalog.createSql(config.publicationName(), List.of())));
            List<String> selected = settings.selectTables(published);
            if (selected.isEmpty()) {
                throw new ConnectException("no table of publication " + config.publicationName() + " " + published
                        + " is left by table.include.list / table.exclude.list");
            }
            LOG.info("Capturing {} of publication {}", selected, config.publicationName());
            return selected;
        } catch (java.sql.SQLException e) {
            throw new ConnectException("Reading the tables of publication " + config.publicationName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** slot.failover: creates the missing slot as a failover slot (the reader would create an ordinary one). */
    private static void createFailoverSlot(LogicalReplicationReader.Builder builder, String slot) {
        var settings = builder.connectionSettings();
        boolean exists = dev.pgoutput.api.ReplicationSlots.list(settings).stream().anyMatch(s -> s.name().equals(slot));
        if (!exists) {
            dev.pgoutput.api.ReplicationSlots.create(settings, slot,
                    dev.pgoutput.api.SlotOptions.defaults().withFailover(true));
            LOG.info("Created failover slot {}", slot);
        }
    }

    @Override
    public List<SourceRecord> poll() {
        LogicalReplicationReader current = reader;
        if (current == null) {
            return null;
        }
        try {
            // Here, on the polling thread, every event the reader delivered is in the ledger (see there).
            OptionalLong confirm = ledger.takeAcknowledgement();
            if (confirm.isPresent()) {
                current.acknowledge(confirm.getAsLong());
            }
            List<SourceRecord> records = new ArrayList<>();
            ChangeEvent event = current.poll(FIRST_EVENT_WAIT);
            while (event != null) {
                SourcePosition position = SourcePosition.of(event);
                List<SourceRecord> made = resume.processed(event) ? List.of() : toRecords(event, position);
                // Every event taken is recorded, records or not, in the order the reader delivered it.
                ledger.add(event.source().lsn(), position, made);
                boundaries.add(event, made, records);
                if (records.size() >= MAX_BATCH) {
                    break;
                }
                event = current.poll(Duration.ZERO);
            }
            // A poll that found nothing more has passed the last transaction's commit, if it had come.
            boundaries.endBatch(current.isTransactionComplete(), records);
            if (records.isEmpty()) {
                if (ledger.awaitsPersistence()) {
                    // Exactly-once with our boundaries: commit() runs only after a Kafka transaction, so events that
                    // made no record (skipped on resume) or a read-back that came too early would wait for the next
                    // transaction while the database is quiet; an empty commit runs commit() (and nothing else).
                    boundaries.requestEmptyCommit();
                }
                return null;
            }
            return records;
        } catch (PgOutputException e) {
            throw new ConnectException("Reading slot failed: " + e.getMessage(), e);
        }
    }

    /** Debezium's records of one event (see {@link RecordMaker}), all with the event's source offset. */
    private List<SourceRecord> toRecords(ChangeEvent event, SourcePosition position) {
        if (event.tableName() == null) {
            return List.of();
        }
        return recordMaker.toRecords(event, sourcePartition, position.toOffset());
    }

    /** Kafka acknowledged the record (metadata null: the worker dropped it on purpose). */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        ledger.acknowledged(record);
    }

    /**
     * Called by the worker after an offset flush succeeded (under exactly-once support: after a Kafka transaction
     * committed, or an empty commit was asked for): reads back what the offset store holds for our
     * partition and lets the next {@link #poll()} confirm the slot up to it (see {@link AcknowledgementLedger}).
     */
    @Override
    public void commit() {
        if (context == null || !ledger.awaitsPersistence()) {
            // Nothing could be confirmed: spare the read to the end of the offsets topic.
            return;
        }
        try {
            ledger.persisted(SourcePosition.fromOffset(context.offsetStorageReader().offset(sourcePartition)));
        } catch (RuntimeException e) {
            // The slot stays where it is; the next flush tries again.
            LOG.warn("Could not read the stored offset back, the slot is not confirmed this time: {}", e.toString());
        }
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
