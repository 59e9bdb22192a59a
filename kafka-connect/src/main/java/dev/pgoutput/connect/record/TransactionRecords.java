package dev.pgoutput.connect.record;

import dev.pgoutput.schema.EventSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium 3.6.1's transaction metadata ({@code provide.transaction.metadata=true}): the BEGIN and END records on
 * {@code <prefix>.transaction}, the {@code transaction} block of each change's envelope, and the offset keys that
 * carry the open transaction's counts across a restart.
 *
 * <p>What Debezium's PostgreSQL connector writes ({@code TransactionMonitor}, {@code PostgresTransactionMonitor},
 * {@code TransactionContext}), and so this class:
 * <ul>
 *   <li>key {@code io.debezium.connector.common.TransactionMetadataKey} v1 {@code {id}}, value {@code
 *       io.debezium.connector.common.TransactionMetadataValue} v1 {@code {status, id, event_count,
 *       data_collections, ts_ms}}; {@code event_count} and {@code data_collections} ({@code event.collection} v1
 *       {@code {data_collection, event_count}}) only in END; {@code ts_ms} the commit time;
 *   <li>every {@code id} is {@code "<xid>:<lsn>"} with the LSN of the record's own position (PostgresTransactionMonitor
 *       appends the offset's current LSN each time): BEGIN's where the transaction's first message is, each
 *       change's its own, END's the commit record's end. The offset's {@code transaction_id} is the xid alone;
 *   <li>{@code total_order} and {@code data_collection_order} count the change records with a value (a tombstone
 *       is not counted; a key change is two: its delete and its create), per {@code schema.table};
 *   <li>{@code data_collections} in the order of a {@link HashMap} filled in event order, as Debezium's is;
 *   <li>the offset of each record carries {@code transaction_id} and {@code
 *       transaction_data_collection_order_<schema.table>} while the transaction is open (END's included).
 * </ul>
 *
 * <p>Not thread-safe: one per task, used by its {@code poll()} thread.
 */
public final class TransactionRecords {

    /** The envelope's {@code transaction} block, {@code event.block} v1 (optional). */
    static final Schema BLOCK_SCHEMA = ConnectSchemas.toConnect(EventSchemas.TRANSACTION_BLOCK);

    private static final Schema KEY_SCHEMA = SchemaBuilder.struct()
            .name("io.debezium.connector.common.TransactionMetadataKey").version(1)
            .field("id", Schema.STRING_SCHEMA).build();
    private static final Schema COLLECTION_SCHEMA = SchemaBuilder.struct().optional()
            .name("event.collection").version(1)
            .field("data_collection", Schema.STRING_SCHEMA).field("event_count", Schema.INT64_SCHEMA).build();
    private static final Schema VALUE_SCHEMA = SchemaBuilder.struct()
            .name("io.debezium.connector.common.TransactionMetadataValue").version(1)
            .field("status", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
            .field("event_count", Schema.OPTIONAL_INT64_SCHEMA)
            .field("data_collections", SchemaBuilder.array(COLLECTION_SCHEMA).optional().build())
            .field("ts_ms", Schema.INT64_SCHEMA).build();

    /** Debezium's offset key of the open transaction's id. */
    public static final String OFFSET_TRANSACTION_ID = "transaction_id";
    /** Debezium's offset key prefix of the open transaction's count per table. */
    public static final String OFFSET_COLLECTION_ORDER = "transaction_data_collection_order_";

    private final String topic;
    /** The open transaction's xid as text, or null when none is open. */
    private String transactionId;
    private final Map<String, Long> perCollection = new HashMap<>();
    private long total;

    /** @param topic {@code <prefix>.transaction} */
    public TransactionRecords(String topic) {
        this.topic = topic;
    }

    /**
     * Continues the transaction a stored offset was written in (its {@code transaction_id} and counts), so that
     * the events after a restart go on counting, and no second BEGIN is written, as Debezium does. An offset of
     * the transaction's END (message type COMMIT) leaves none open.
     */
    public void restore(Map<String, ?> offset) {
        if (offset == null || !(offset.get(OFFSET_TRANSACTION_ID) instanceof String id)
                || "COMMIT".equals(String.valueOf(offset.get("messageType")))) {
            return;
        }
        reset();
        transactionId = id;
        offset.forEach((key, value) -> {
            if (key.startsWith(OFFSET_COLLECTION_ORDER) && value instanceof Number n) {
                perCollection.put(key.substring(OFFSET_COLLECTION_ORDER.length()), n.longValue());
            }
        });
        total = perCollection.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether the transaction {@code xid} is the open one. */
    public boolean isOpen(long xid) {
        return Long.toString(xid).equals(transactionId);
    }

    /** Whether a transaction is open. */
    public boolean isOpen() {
        return transactionId != null;
    }

    /**
     * Opens transaction {@code xid} and gives its BEGIN record.
     *
     * @param lsn    where the transaction's first message is (the record's {@code id} ends with it)
     * @param tsMs   the commit time
     * @param offset the BEGIN's source offset without the transaction keys
     */
    public SourceRecord begin(long xid, long lsn, long tsMs, Map<String, ?> partition, Map<String, Object> offset) {
        reset();
        transactionId = Long.toString(xid);
        Struct key = new Struct(KEY_SCHEMA).put("id", id(lsn));
        Struct value = new Struct(VALUE_SCHEMA).put("status", "BEGIN").put("id", id(lsn)).put("ts_ms", tsMs);
        return new SourceRecord(partition, store(offset), topic, null, KEY_SCHEMA, key, VALUE_SCHEMA, value);
    }

    /**
     * The open transaction's change records with their {@code transaction} block filled in and the counts in
     * their offsets: each record with a value counts once for {@code collection}; a tombstone gets the offset of
     * the record before it.
     *
     * @param lsn    the change's LSN
     * @param offset the change's source offset without the transaction keys
     */
    public List<SourceRecord> changes(List<SourceRecord> records, String collection, long lsn,
                                      Map<String, Object> offset) {
        List<SourceRecord> out = new ArrayList<>(records.size());
        Map<String, Object> current = store(new LinkedHashMap<>(offset));
        for (SourceRecord r : records) {
            if (r.value() instanceof Struct value && value.schema().field("transaction") != null) {
                long order = perCollection.getOrDefault(collection, 0L) + 1;
                perCollection.put(collection, order);
                total++;
                value.put("transaction", new Struct(BLOCK_SCHEMA).put("id", id(lsn)).put("total_order", total)
                        .put("data_collection_order", order));
                current = store(new LinkedHashMap<>(offset));
            }
            out.add(new SourceRecord(r.sourcePartition(), current, r.topic(), r.kafkaPartition(), r.keySchema(),
                    r.key(), r.valueSchema(), r.value(), r.timestamp(), r.headers()));
        }
        return out;
    }

    /**
     * Closes the open transaction and gives its END record.
     *
     * @param endLsn where the commit record ends (the record's {@code id} ends with it)
     * @param tsMs   the commit time
     * @param offset the END's source offset without the transaction keys
     */
    public SourceRecord end(long endLsn, long tsMs, Map<String, ?> partition, Map<String, Object> offset) {
        Struct key = new Struct(KEY_SCHEMA).put("id", id(endLsn));
        List<Struct> collections = new ArrayList<>(perCollection.size());
        perCollection.forEach((name, count) -> collections.add(new Struct(COLLECTION_SCHEMA)
                .put("data_collection", name).put("event_count", count)));
        Struct value = new Struct(VALUE_SCHEMA).put("status", "END").put("id", id(endLsn)).put("event_count", total)
                .put("data_collections", collections).put("ts_ms", tsMs);
        SourceRecord record = new SourceRecord(partition, store(offset), topic, null, KEY_SCHEMA, key, VALUE_SCHEMA,
                value);
        reset();
        return record;
    }

    private String id(long lsn) {
        return transactionId + ":" + lsn;
    }

    /** Adds the open transaction's keys to {@code offset}, as Debezium's {@code TransactionContext.store}. */
    private Map<String, Object> store(Map<String, Object> offset) {
        if (transactionId != null) {
            offset.put(OFFSET_TRANSACTION_ID, transactionId);
        }
        perCollection.forEach((name, count) -> offset.put(OFFSET_COLLECTION_ORDER + name, count));
        return offset;
    }

    private void reset() {
        transactionId = null;
        perCollection.clear();
        total = 0;
    }
}
