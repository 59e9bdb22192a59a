package dev.pgoutput.connect.record;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.Source;
import dev.pgoutput.schema.SchemaOptions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns change events into the records Debezium's PostgreSQL connector (3.6.1) writes, straight from the decoded
 * rows: topic {@code <prefix>.<schema>.<table>}, key STRUCT {@code <topic>.Key} from the catalog's primary key (or
 * replica identity index; none for a keyless table), envelope v2 {@code <topic>.Envelope} with the row schema's
 * optionality and defaults from the catalog, the {@code source} struct, a tombstone after each delete (unless
 * {@code tombstones.on.delete=false}), a primary-key change as delete (+ tombstone) + create with the {@code
 * __debezium.newkey} / {@code __debezium.oldkey} headers, and the four {@code __debezium.context.*} headers.
 *
 * <pre>{@code
 * RecordMaker maker = new RecordMaker(settings, SchemaOptions.defaults());
 * List<SourceRecord> records = maker.toRecords(event, partition, offset);
 * }</pre>
 *
 * <p>Not thread-safe: one per task, used by its {@code poll()} thread.
 */
public final class RecordMaker {

    private static final String CONTEXT = "__debezium.context.";

    /**
     * Where the records go and what the catalog connection needs.
     *
     * @param topicPrefix        {@code topic.prefix}
     * @param taskId             the task's number, written as the {@code taskId} header
     * @param runId              this task run's id, the {@code runId} header
     * @param version            written as {@code source.version}
     * @param tombstonesOnDelete {@code tombstones.on.delete}
     * @param host               database host, for catalog reads
     * @param port               database port
     * @param database           database name
     * @param user               user
     * @param password           password, or null
     */
    public record Settings(String topicPrefix, String taskId, String runId, String version,
                           boolean tombstonesOnDelete, String host, int port, String database, String user,
                           String password) {
        /** Checks the required parts. */
        public Settings {
            Objects.requireNonNull(topicPrefix, "topicPrefix");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(runId, "runId");
        }
    }

    private final Settings settings;
    private final SchemaOptions options;
    private final TableCatalog catalog;
    private final Map<String, TableSchema> tables = new HashMap<>();
    private final SourceStructs sources;
    private final MessageRecords messages;

    /** A record maker reading the catalog over JDBC with the settings' credentials. */
    public RecordMaker(Settings settings, SchemaOptions options) {
        this.settings = settings;
        this.options = options;
        this.catalog = new TableCatalog(settings.host(), settings.port(), settings.database(), settings.user(),
                settings.password());
        this.sources = new SourceStructs(settings.version());
        this.messages = new MessageRecords(settings.topicPrefix() + ".message", options.binaryHandling());
    }

    /**
     * The records of one event, in the order Debezium writes them: a logical decoding message's record on {@code
     * <prefix>.message} (see {@link MessageRecords}), a change's on its table's topic.
     *
     * @param event     the change
     * @param partition the source partition, {@code {"server": <prefix>}}
     * @param offset    the source offset every record of the event carries
     * @throws ConnectException when the catalog cannot be read: the task fails rather than retry the poll, since
     *                          the events taken from the reader for this poll would be gone by then
     */
    public List<SourceRecord> toRecords(ChangeEvent event, Map<String, ?> partition, Map<String, ?> offset) {
        Source source = event.source();
        if (event.op() == Op.MESSAGE && event.message() != null) {
            return List.of(messages.toRecord(event, sources.toStruct(event, settings.topicPrefix()), null, partition,
                    offset));
        }
        if (source.table() == null) {
            return List.of();
        }
        Struct sourceStruct = sources.toStruct(event, settings.topicPrefix());
        if (event.op() == Op.TRUNCATE) {
            TableSchema t = table(source, null);
            return List.of(new SourceRecord(partition, offset, t.topic, null, null, null, t.envelopeSchema,
                    envelope(t, null, null, sourceStruct, event), null, contextHeaders()));
        }
        Row row = event.after() instanceof Row r ? r : event.before() instanceof Row r ? r : null;
        TableSchema t = table(source, row);
        List<SourceRecord> out = new ArrayList<>(3);
        switch (event.op()) {
            case CREATE, READ -> out.add(record(t, partition, offset, t.key(event.after()),
                    envelope(t, null, t.value(event.after()), sourceStruct, event), contextHeaders()));
            case UPDATE -> {
                Struct newKey = t.key(event.after());
                Struct oldKey = event.before() == null ? newKey : t.key(event.before());
                if (!Objects.equals(oldKey, newKey)) {
                    ConnectHeaders deleteHeaders = new ConnectHeaders();
                    deleteHeaders.add("__debezium.newkey", newKey, t.keySchema);
                    addContext(deleteHeaders);
                    out.add(record(t, partition, offset, oldKey, envelope(t, t.value(event.before()), null,
                            sourceStruct, event, "d"), deleteHeaders));
                    if (settings.tombstonesOnDelete()) {
                        out.add(record(t, partition, offset, oldKey, null, deleteHeaders));
                    }
                    ConnectHeaders createHeaders = new ConnectHeaders();
                    createHeaders.add("__debezium.oldkey", oldKey, t.keySchema);
                    addContext(createHeaders);
                    out.add(record(t, partition, offset, newKey, envelope(t, null, t.value(event.after()),
                            sourceStruct, event, "c"), createHeaders));
                } else {
                    Struct before = event.before() == null ? null : t.value(event.before());
                    out.add(record(t, partition, offset, newKey, envelope(t, before, t.value(event.after()),
                            sourceStruct, event), contextHeaders()));
                }
            }
            case DELETE -> {
                Map<String, Object> old = event.before();
                Struct key = old == null ? null : t.key(old);
                ConnectHeaders headers = contextHeaders();
                out.add(record(t, partition, offset, key, envelope(t, old == null ? null : t.value(old), null,
                        sourceStruct, event), headers));
                if (settings.tombstonesOnDelete()) {
                    out.add(record(t, partition, offset, key, null, headers));
                }
            }
            default -> {
            }
        }
        return out;
    }

    private TableSchema table(Source source, Row row) {
        String topic = settings.topicPrefix() + "." + source.schema() + "." + source.table();
        TableSchema t = tables.get(topic);
        if (t == null || t.isStaleFor(row)) {
            try {
                t = TableSchema.of(topic, catalog.read(source.schema(), source.table()), row, options);
            } catch (SQLException e) {
                throw new ConnectException("Reading the catalog of " + source.schema() + "." + source.table()
                        + " failed: " + e.getMessage(), e);
            }
            tables.put(topic, t);
        }
        return t;
    }

    private static SourceRecord record(TableSchema t, Map<String, ?> partition, Map<String, ?> offset, Struct key,
                                       Struct value, ConnectHeaders headers) {
        Schema keySchema = key == null ? null : t.keySchema;
        return new SourceRecord(partition, offset, t.topic, null, keySchema, key,
                value == null ? null : t.envelopeSchema, value, null, headers);
    }

    private static Struct envelope(TableSchema t, Struct before, Struct after, Struct source, ChangeEvent event) {
        return envelope(t, before, after, source, event, event.op().code());
    }

    private static Struct envelope(TableSchema t, Struct before, Struct after, Struct source, ChangeEvent event,
                                   String op) {
        long nowNs = event.tsNs();
        Struct e = new Struct(t.envelopeSchema);
        e.put("before", before);
        e.put("after", after);
        e.put("source", source);
        e.put("op", op);
        e.put("ts_ms", nowNs / 1_000_000L);
        e.put("ts_us", nowNs / 1_000L);
        e.put("ts_ns", nowNs);
        return e;
    }

    private ConnectHeaders contextHeaders() {
        ConnectHeaders h = new ConnectHeaders();
        addContext(h);
        return h;
    }

    private void addContext(ConnectHeaders h) {
        h.addString(CONTEXT + "connectorLogicalName", settings.topicPrefix());
        h.addString(CONTEXT + "taskId", settings.taskId());
        h.addString(CONTEXT + "connectorName", "postgresql");
        h.addString(CONTEXT + "runId", settings.runId());
    }
}
