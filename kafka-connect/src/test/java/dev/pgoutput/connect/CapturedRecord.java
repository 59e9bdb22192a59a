package dev.pgoutput.connect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

/**
 * One record read back from Kafka: the bytes as they were written, and the same decoded with the converters the
 * test cluster's worker writes with ({@code JsonConverter} with schemas for key and value, {@code
 * SimpleHeaderConverter} for headers), so a test can compare Connect schemas and values as a sink would see them.
 *
 * @param raw     the record as consumed
 * @param key     the key and its schema; {@link SchemaAndValue#NULL} for a null key
 * @param value   the value and its schema; {@link SchemaAndValue#NULL} for a tombstone
 * @param headers the headers, decoded, in their order
 */
record CapturedRecord(ConsumerRecord<byte[], byte[]> raw, SchemaAndValue key, SchemaAndValue value,
        ConnectHeaders headers) {

    private static final JsonConverter KEYS = converter(true);
    private static final JsonConverter VALUES = converter(false);
    private static final SimpleHeaderConverter HEADERS = new SimpleHeaderConverter();

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true"), isKey);
        return c;
    }

    /** Decodes one consumed record. */
    static CapturedRecord decode(ConsumerRecord<byte[], byte[]> raw) {
        ConnectHeaders headers = new ConnectHeaders();
        for (Header h : raw.headers()) {
            headers.add(h.key(), HEADERS.toConnectHeader(raw.topic(), h.key(), h.value()));
        }
        return new CapturedRecord(raw, KEYS.toConnectData(raw.topic(), raw.key()),
                VALUES.toConnectData(raw.topic(), raw.value()), headers);
    }

    /** Decodes records in their order. */
    static List<CapturedRecord> decodeAll(List<ConsumerRecord<byte[], byte[]>> raw) {
        List<CapturedRecord> out = new ArrayList<>(raw.size());
        raw.forEach(r -> out.add(decode(r)));
        return out;
    }

    /** The topic it was read from. */
    String topic() {
        return raw.topic();
    }

    /** Whether the value is null: a tombstone. */
    boolean isTombstone() {
        return raw.value() == null;
    }

    /** The value as a Connect {@link Struct}; fails the test when it is something else. */
    Struct valueStruct() {
        if (!(value.value() instanceof Struct s)) {
            throw new AssertionError("value of " + this + " is not a Struct");
        }
        return s;
    }

    /** The key as a Connect {@link Struct}; fails the test when it is something else. */
    Struct keyStruct() {
        if (!(key.value() instanceof Struct s)) {
            throw new AssertionError("key of " + this + " is not a Struct");
        }
        return s;
    }

    /** The last header of that name as a string, or {@code null} when there is none. */
    String header(String name) {
        var h = headers.lastWithName(name);
        return h == null ? null : String.valueOf(h.value());
    }

    /** The header names, in their order. */
    List<String> headerNames() {
        List<String> names = new ArrayList<>();
        headers.forEach(h -> names.add(h.key()));
        return names;
    }

    @Override
    public String toString() {
        return raw.topic() + "-" + raw.partition() + "@" + raw.offset() + " key="
                + (raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8)) + " value="
                + (raw.value() == null ? null : new String(raw.value(), StandardCharsets.UTF_8)) + " headers="
                + headerNames();
    }
}
