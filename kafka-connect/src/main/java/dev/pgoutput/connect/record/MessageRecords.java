package dev.pgoutput.connect.record;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Message;
import dev.pgoutput.schema.SchemaOptions;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The record of a logical decoding message ({@code pg_logical_emit_message}) as Debezium 3.6.1's PostgreSQL
 * connector writes it ({@code LogicalDecodingMessageMonitor}): topic {@code <prefix>.message}, key {@code
 * io.debezium.connector.postgresql.MessageKey} v1 {@code {prefix}}, value {@code
 * io.debezium.connector.postgresql.MessageValue} v1 {@code {op: "m", ts_ms, source, transaction, message}} where
 * {@code message} ({@code io.debezium.connector.postgresql.Message} v1) holds the prefix and the content in the
 * {@code binary.handling.mode}'s form. {@code ts_ms} is when the record was made (Debezium's decoding time), and
 * no headers: Debezium writes message records past the code that adds its context headers.
 */
final class MessageRecords {

    private static final String PREFIX = "prefix";
    private static final String CONTENT = "content";

    private static final Schema KEY = SchemaBuilder.struct().name("io.debezium.connector.postgresql.MessageKey")
            .version(1).field(PREFIX, Schema.OPTIONAL_STRING_SCHEMA).build();

    private final String topic;
    private final SchemaOptions.BinaryHandling binary;
    private final Schema valueSchema;

    MessageRecords(String topic, SchemaOptions.BinaryHandling binary) {
        this.topic = topic;
        this.binary = binary;
        // The content's schema follows binary.handling.mode, optional as Debezium declares it.
        Schema content = binary == SchemaOptions.BinaryHandling.BYTES ? Schema.OPTIONAL_BYTES_SCHEMA
                : Schema.OPTIONAL_STRING_SCHEMA;
        Schema block = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Message").version(1)
                .field(PREFIX, Schema.OPTIONAL_STRING_SCHEMA).field(CONTENT, content).build();
        this.valueSchema = SchemaBuilder.struct().name("io.debezium.connector.postgresql.MessageValue").version(1)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .field("source", SourceStructs.schema())
                .field("transaction", TransactionRecords.BLOCK_SCHEMA)
                .field("message", block).build();
    }

    /** The value schema, for the transaction block to be put into a value made here. */
    Schema valueSchema() {
        return valueSchema;
    }

    /** The message's record; {@code transaction} is its transaction block, or null. */
    SourceRecord toRecord(ChangeEvent event, Struct source, Struct transaction, Map<String, ?> partition,
                          Map<String, ?> offset) {
        Message m = event.message();
        Struct key = new Struct(KEY).put(PREFIX, m.prefix());
        Struct body = new Struct(valueSchema.field("message").schema())
                .put(PREFIX, m.prefix()).put(CONTENT, content(m.content()));
        Struct value = new Struct(valueSchema).put("op", "m").put("ts_ms", event.tsMs()).put("source", source)
                .put("transaction", transaction).put("message", body);
        return new SourceRecord(partition, offset, topic, null, KEY, key, valueSchema, value);
    }

    private Object content(byte[] content) {
        return switch (binary) {
            case BYTES -> ByteBuffer.wrap(content);
            case BASE64 -> Base64.getEncoder().encodeToString(content);
            case BASE64_URL_SAFE -> Base64.getUrlEncoder().encodeToString(content);
            case HEX -> HexFormat.of().formatHex(content);
        };
    }
}
