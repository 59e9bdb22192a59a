package dev.pgoutput.schema;

import dev.pgoutput.schema.DebeziumSchema.Field;
import dev.pgoutput.schema.DebeziumSchema.Type;
import java.util.List;

/**
 * The fixed parts of Debezium 3.6.1's PostgreSQL change events: the {@code source} struct, the transaction
 * {@code event.block}, and the envelope (version 2) around a table's value schema, with the names Debezium gives
 * them ({@code <prefix>.<schema>.<table>.Key}, {@code .Value}, {@code .Envelope}).
 *
 * <pre>{@code
 * DebeziumSchema value = EventSchemas.value("shop.public.items", fields);
 * DebeziumSchema envelope = EventSchemas.envelope("shop.public.items", value);
 * }</pre>
 */
public final class EventSchemas {

    /** The values {@code source.snapshot} may take, in Debezium's order. */
    public static final String SNAPSHOT_ALLOWED = "true,first,first_in_data_collection,last_in_data_collection,"
            + "last,false,incremental";

    /** {@code io.debezium.connector.postgresql.Source}, version 1, fields in Debezium's order. */
    public static final DebeziumSchema SOURCE = DebeziumSchema.struct("io.debezium.connector.postgresql.Source", 1,
            List.of(field("version", Type.STRING, false), field("connector", Type.STRING, false),
                    field("name", Type.STRING, false), field("ts_ms", Type.INT64, false),
                    new Field("snapshot", DebeziumSchema.of(Type.STRING).named("io.debezium.data.Enum", 1)
                            .withParameter("allowed", SNAPSHOT_ALLOWED).withDefault("false").asOptional()),
                    field("db", Type.STRING, false), field("sequence", Type.STRING, true),
                    field("ts_us", Type.INT64, true), field("ts_ns", Type.INT64, true),
                    field("schema", Type.STRING, false), field("table", Type.STRING, false),
                    field("txId", Type.INT64, true), field("lsn", Type.INT64, true), field("xmin", Type.INT64, true),
                    field("origin", Type.STRING, true), field("origin_lsn", Type.INT64, true)));

    /** {@code event.block}, version 1: the transaction metadata block (optional in the envelope). */
    public static final DebeziumSchema TRANSACTION_BLOCK = DebeziumSchema.struct("event.block", 1, List.of(
            field("id", Type.STRING, false), field("total_order", Type.INT64, false),
            field("data_collection_order", Type.INT64, false))).asOptional();

    private EventSchemas() {
    }

    private static Field field(String name, Type type, boolean optional) {
        return new Field(name, DebeziumSchema.of(type).withOptional(optional));
    }

    /** The key schema {@code <topic>.Key} (required) with the key columns' fields, in key order. */
    public static DebeziumSchema key(String topic, List<Field> fields) {
        return DebeziumSchema.struct(topic + ".Key", null, fields);
    }

    /** The row schema {@code <topic>.Value} (optional: {@code before} and {@code after} may be null). */
    public static DebeziumSchema value(String topic, List<Field> fields) {
        return DebeziumSchema.struct(topic + ".Value", null, fields).asOptional();
    }

    /**
     * The envelope {@code <topic>.Envelope}, version 2: {@code before}, {@code after}, {@code source}, {@code
     * transaction}, {@code op}, {@code ts_ms}, {@code ts_us}, {@code ts_ns}.
     */
    public static DebeziumSchema envelope(String topic, DebeziumSchema value) {
        return DebeziumSchema.struct(topic + ".Envelope", 2, List.of(new Field("before", value),
                new Field("after", value), new Field("source", SOURCE), new Field("transaction", TRANSACTION_BLOCK),
                field("op", Type.STRING, false), field("ts_ms", Type.INT64, true), field("ts_us", Type.INT64, true),
                field("ts_ns", Type.INT64, true)));
    }
}
