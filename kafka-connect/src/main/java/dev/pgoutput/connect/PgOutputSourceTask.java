package dev.pgoutput.connect;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.connect.record.RecordMaker;
import dev.pgoutput.connect.record.TransactionRecords;
import dev.pgoutput.schema.SchemaOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task of the connector (its only one unless {@code pgoutput.task.split} splits the tables, see {@link
 * TaskSplit}): reads its slot with a {@link LogicalReplicationReader} and turns each change event into a {@link
 * SourceRecord} on topic {@code <topic.prefix>.<schema>.<table>}, with source partition {@code {"server":
 * <topic.prefix>}} ({@code {"server", "slot"}} for a split task) and Debezium's source offset.
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
 * <p><b>Beside the table topics</b> ({@link EventSettings}): logical decoding messages on {@code <prefix>.message}
 * (PostgreSQL 14+, the prefix lists applied here), heartbeats ({@link Heartbeats}), and with {@code
 * provide.transaction.metadata=true} the BEGIN/END records and transaction blocks ({@link TransactionRecords}).
 * For those the reader delivers every published change (operations and tables are filtered here instead), so
 * that a transaction whose changes are all filtered out still gets its BEGIN and END, as Debezium writes them; the
 * reader tells where each transaction ends ({@code transactionEnds}), on the polling thread, in order.
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
    private EventSettings events;
    /** Operations and tables filtered here rather than by the reader (transaction metadata); null: none. */
    private Set<Op> skippedHere;
    private Set<String> tablesHere;
    private TransactionRecords transactions;
    /** The last event of the open transaction (its xid, commit time and LSN make the END), or null. */
    private ChangeEvent openEvent;
    /** End LSNs the reader signalled during the last poll call; the polling thread's only. */
    private final ArrayDeque<Long> transactionEnds = new ArrayDeque<>();
    private Heartbeats heartbeats;
    /** The offset of the last entry put in the ledger (or the stored one before any), for heartbeats. */
    private Map<String, ?> lastOffset;
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
        // {"server": prefix}, as Debezium; a split task's names its slot too (TaskSplit).
        sourcePartition = TaskSplit.sourcePartition(topicPrefix, props);
        if (TaskSplit.isSplitTask(props)) {
            SplitPublications.prepare(config, settings, props);
        }
        LogicalReplicationReader.Builder builder = connection(config, settings)
                .publication(config.publicationName()).slot(config.slotName())
                // Debezium creates its slot when it is missing; a drop-in replacement does too.
                .createSlot(true)
                // The slot moves only when Kafka has the records and the offsets are stored: see commit().
                .autoAcknowledge(false)
                .name(topicPrefix);
        events = EventSettings.of(config, props);
        // With transaction metadata every published change comes, so that BEGIN and END frame each transaction
        // the server sends; operations and tables are filtered here instead.
        (events.transactionMetadata() ? settings.withoutSkippedOperations() : settings).applyTo(builder);
        List<String> tables = settings.filtersTables() ? selectedTables(config, settings) : null;
        if (events.transactionMetadata()) {
            builder.transactionEnds(transactionEnds::add);
            skippedHere = config.skippedOperationsAsOps();
            tablesHere = tables == null ? null : new HashSet<>(tables);
            transactions = new TransactionRecords(events.transactionTopic());
        } else if (tables != null) {
            builder.tables(tables.toArray(String[]::new));
        }
        if (ServerFacts.serverVersion(config, settings) >= 140000) {
            // pgoutput sends logical decoding messages from PostgreSQL 14 on; Debezium asks for them there too.
            builder.messages(true);
        }
        recordMaker = new RecordMaker(new RecordMaker.Settings(topicPrefix, TaskSplit.taskId(props), RunIds.next(),
                LogicalReplicationReader.version(), config.tombstonesOnDelete(), config.hostname(), config.port(),
                config.databaseName(), config.user(), config.password()),
                SchemaOptions.fromProperties(config.schemaProperties()));
        if (settings.slotFailover()) {
            createFailoverSlot(builder, config.slotName());
        }
        // A worker always initializes the task with a context; a task started on its own (embedded in a test or an
        // application without Connect's offset store) has no stored offset and resumes from the slot alone.
        Map<String, Object> storedOffset = context == null ? null : context.offsetStorageReader().offset(sourcePartition);
        SourcePosition stored = SourcePosition.fromOffset(storedOffset);
        resume = new ResumeFilter(stored);
        lastOffset = storedOffset;
        if (transactions != null) {
            transactions.restore(storedOffset);
        }
        if (events.heartbeats()) {
            heartbeats = new Heartbeats(events.heartbeatTopic(), topicPrefix, events.heartbeatInterval(),
                    events.heartbeatActionQuery(), () -> PublicationCatalog.connect(config, settings), System::nanoTime);
        }
        // Only an exactly-once worker running the connector with transaction.boundary=connector gives a context.
        TransactionContext kafkaTransactions = context == null ? null : context.transactionContext();
        boundaries = new TransactionBoundaries(kafkaTransactions, config.transactionMaxRecords());
        if (kafkaTransactions != null) {
            LOG.info("One Kafka transaction per PostgreSQL transaction, at most {} records each ({})",
                    config.transactionMaxRecords(), PgOutputConnectorConfig.TRANSACTION_MAX_RECORDS);
        }
        reader = builder.build();
        if (heartbeats != null && lastOffset == null) {
            // Debezium beats from the start; with nothing stored, the slot's position (the reader has created the
            // slot by now) is an offset that claims nothing was processed beyond what the slot already confirms.
            lastOffset = ServerFacts.slotOffset(config, settings);
        }
        LOG.info("Resuming after stored offset {} (the slot's confirmed position is the floor)",
                stored == null ? "none" : stored.toOffset());
        if (transactions != null || heartbeats != null) {
            LOG.info("Transaction metadata {}, heartbeats {}", transactions != null ? "on " + events.transactionTopic()
                    : "off", heartbeats != null ? "every " + events.heartbeatInterval().toMillis() + " ms on "
                    + events.heartbeatTopic() : "off");
        }
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
            List<String> selected = SplitPublications.selectedTables(c, config, settings);
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
            while (true) {
                // A transaction that ended during that call ended before the event it returned.
                endTransactions(records);
                if (event == null) {
                    break;
                }
                take(event, records);
                if (records.size() >= MAX_BATCH) {
                    break;
                }
                event = current.poll(Duration.ZERO);
            }
            SourceRecord beat = heartbeats == null ? null : heartbeats.beatIfDue(sourcePartition, lastOffset);
            if (beat != null) {
                // A heartbeat holds no change: giving it the last event's LSN would hold that event back from the
                // reader for good, since there is always a heartbeat younger than the last flush (HeartbeatIT).
                ledger.add(AcknowledgementLedger.NO_CHANGE, SourcePosition.fromOffset(beat.sourceOffset()), List.of(beat));
                records.add(beat);
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

    /** One event from the reader: its records (none when processed before, or filtered), BEGIN before them. */
    private void take(ChangeEvent event, List<SourceRecord> records) {
        SourcePosition position = SourcePosition.of(event);
        Long xid = event.source().txId();
        boolean framed = transactions != null && xid != null && event.op() != Op.READ;
        if (resume.processed(event)) {
            if (framed && transactions.isOpen(xid)) {
                openEvent = event;   // the restored transaction's END still needs its xid and time
            }
            addToLedger(position.toOffset(), position, List.of());
            boundaries.add(event, List.of(), records);
            return;
        }
        if (!framed) {
            List<SourceRecord> made = selected(event) ? toRecords(event, position) : List.of();
            addToLedger(position.toOffset(), position, made);
            boundaries.add(event, made, records);
            return;
        }
        // The event's records, BEGIN first when it opens its transaction; through the Kafka transaction boundaries.
        List<SourceRecord> out = new ArrayList<>();
        if (!transactions.isOpen(xid)) {
            // Debezium writes BEGIN at the transaction's first message: here its first change, the same LSN.
            SourcePosition begin = new SourcePosition(position.lsn(), position.lsn(), position.lsnCommit(), xid,
                    position.tsUsec(), "BEGIN");
            SourceRecord record = transactions.begin(xid, event.source().lsn(), event.source().tsMs(),
                    sourcePartition, begin.toOffset());
            addToLedger(record.sourceOffset(), begin, List.of(record));
            out.add(record);
        }
        openEvent = event;
        List<SourceRecord> made = selected(event)
                ? transactions.changes(toRecords(event, position), collection(event), event.source().lsn(),
                        position.toOffset())
                : List.of();
        addToLedger(made.isEmpty() ? position.toOffset() : made.get(made.size() - 1).sourceOffset(), position, made);
        out.addAll(made);
        boundaries.add(event, out, records);
    }

    /** The END of each transaction the reader said has ended, if one is open here. */
    private void endTransactions(List<SourceRecord> records) {
        while (!transactionEnds.isEmpty()) {
            long endLsn = transactionEnds.poll();
            ChangeEvent last = openEvent;
            openEvent = null;
            if (transactions == null || last == null || !transactions.isOpen(last.source().txId())) {
                continue;
            }
            // Debezium's END offset: the commit processed, lsn and lsn_commit where the commit record ends.
            SourcePosition end = new SourcePosition(endLsn, endLsn, endLsn, last.source().txId(),
                    last.source().tsMs() * 1000L, "COMMIT");
            SourceRecord record = transactions.end(endLsn, last.source().tsMs(), sourcePartition, end.toOffset());
            // Its LSN for the reader is the last change's: an END not yet confirmed holds that change back too,
            // so the slot cannot pass the transaction before Kafka has its END.
            ledger.add(last.source().lsn(), end, List.of(record));
            lastOffset = record.sourceOffset();
            // The END is its transaction's last record: under connector boundaries the Kafka transaction ends on it.
            boundaries.add(last, List.of(record), records);
        }
    }

    private void addToLedger(Map<String, ?> offset, SourcePosition position, List<SourceRecord> made) {
        ledger.add(position.lsn(), position, made);
        lastOffset = offset;
    }

    /** Whether the filters applied here (messages' prefixes; operations and tables with metadata) let it pass. */
    private boolean selected(ChangeEvent event) {
        if (event.op() == Op.MESSAGE) {
            return event.message() != null && events.messageIncluded(event.message().prefix());
        }
        if (skippedHere != null && skippedHere.contains(event.op())) {
            return false;
        }
        return tablesHere == null || tablesHere.contains(event.tableName());
    }

    /**
     * Debezium's data collection name: {@code schema.table}; for a message what Debezium 3.6.1 writes, the default
     * {@code toString()} of a new {@code LogicalDecodingMessageId} per message (so each message counts apart, under
     * an identity hash that differs from run to run).
     */
    private static String collection(ChangeEvent event) {
        return event.op() == Op.MESSAGE
                ? "io.debezium.connector.postgresql.LogicalDecodingMessageMonitor$LogicalDecodingMessageId@"
                        + Integer.toHexString(System.identityHashCode(new Object()))
                : event.tableName();
    }

    /** Debezium's records of one event (see {@link RecordMaker}), all with the event's source offset. */
    private List<SourceRecord> toRecords(ChangeEvent event, SourcePosition position) {
        if (event.tableName() == null && event.op() != Op.MESSAGE) {
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
        Heartbeats beats = heartbeats;
        if (beats != null) {
            beats.close();
        }
    }
}
