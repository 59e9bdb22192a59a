package dev.pgoutput.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Source;
import java.io.IOException;

/**
 * Writes the Debezium envelope of one event to a generator: {@code before}, {@code after}, {@code source},
 * {@code op}, {@code ts_ms}, {@code ts_us}, {@code ts_ns}, in that order, with the source block in the order
 * of {@link Source#toMap()}.
 *
 * <p>Field names are pre-encoded {@link SerializedString} constants: Jackson copies their UTF-8 bytes
 * instead of encoding and escaping the name for every event.
 *
 * <p>One instance per generator and thread (the {@link ValueWriter} inside keeps scratch space).
 */
final class EventWriter {

    private static final SerializedString BEFORE = new SerializedString("before");
    private static final SerializedString AFTER = new SerializedString("after");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString OP = new SerializedString("op");
    private static final SerializedString TS_MS = new SerializedString("ts_ms");
    private static final SerializedString TS_US = new SerializedString("ts_us");
    private static final SerializedString TS_NS = new SerializedString("ts_ns");

    private static final SerializedString VERSION = new SerializedString("version");
    private static final SerializedString CONNECTOR = new SerializedString("connector");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString SNAPSHOT = new SerializedString("snapshot");
    private static final SerializedString DB = new SerializedString("db");
    private static final SerializedString SCHEMA = new SerializedString("schema");
    private static final SerializedString TABLE = new SerializedString("table");
    private static final SerializedString LSN = new SerializedString("lsn");
    private static final SerializedString TX_ID = new SerializedString("txId");
    private static final SerializedString SEQUENCE = new SerializedString("sequence");
    private static final SerializedString XMIN = new SerializedString("xmin");
    private static final SerializedString ORIGIN = new SerializedString("origin");
    private static final SerializedString GID = new SerializedString("gid");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString UNCOMMITTED = new SerializedString("uncommitted");
    private static final SerializedString SUB_TX_ID = new SerializedString("subTxId");
    private static final SerializedString PREFIX = new SerializedString("prefix");
    private static final SerializedString CONTENT = new SerializedString("content");

    private final JsonGenerator gen;
    private final ValueWriter values;

    EventWriter(JsonGenerator gen) {
        this(gen, JsonOptions.DEFAULTS);
    }

    EventWriter(JsonGenerator gen, JsonOptions options) {
        this.gen = gen;
        this.values = new ValueWriter(gen, options);
    }

    /** Writes one event as a JSON object (no separator before or after it). */
    void write(ChangeEvent event) throws IOException {
        if (event.message() != null) {
            writeMessage(event);
            return;
        }
        gen.writeStartObject();
        gen.writeFieldName(BEFORE);
        values.writeRow(event.before());
        gen.writeFieldName(AFTER);
        values.writeRow(event.after());
        gen.writeFieldName(SOURCE);
        writeSource(event.source());
        writeOpAndTimestamps(event);
        writeUncommitted(event);
        gen.writeEndObject();
    }

    /**
     * Not in Debezium's envelope: only events delivered before their transaction's outcome (the reader's
     * opt-in early delivery) have it, so that a consumer of the JSON can tell them apart.
     */
    private void writeUncommitted(ChangeEvent event) throws IOException {
        if (event.uncommitted() == null) {
            return;
        }
        gen.writeFieldName(UNCOMMITTED);
        gen.writeStartObject();
        gen.writeFieldName(TX_ID);
        gen.writeNumber(event.uncommitted().txId());
        gen.writeFieldName(SUB_TX_ID);
        gen.writeNumber(event.uncommitted().subTxId());
        if (event.uncommitted().gid() != null) {
            gen.writeFieldName(GID);
            gen.writeString(event.uncommitted().gid());
        }
        gen.writeEndObject();
    }

    /** {@code op}, {@code ts_ms}, {@code ts_us}, {@code ts_ns}: when this library produced the event. */
    private void writeOpAndTimestamps(ChangeEvent event) throws IOException {
        gen.writeFieldName(OP);
        if (event.op() == null) {
            gen.writeNull();
        } else {
            gen.writeString(event.op().code());
        }
        gen.writeFieldName(TS_MS);
        gen.writeNumber(event.tsMs());
        gen.writeFieldName(TS_US);
        gen.writeNumber(event.tsUs());
        gen.writeFieldName(TS_NS);
        gen.writeNumber(event.tsNs());
    }

    /**
     * A logical decoding message the way Debezium's PostgreSQL connector writes one: {@code op} "m",
     * the timestamps, {@code source}, and {@code message} with {@code prefix} and {@code content} (bytes,
     * so base64 by default); no {@code before} or {@code after}.
     */
    private void writeMessage(ChangeEvent event) throws IOException {
        gen.writeStartObject();
        writeOpAndTimestamps(event);
        gen.writeFieldName(SOURCE);
        writeSource(event.source());
        gen.writeFieldName(MESSAGE);
        gen.writeStartObject();
        gen.writeFieldName(PREFIX);
        gen.writeString(event.message().prefix());
        gen.writeFieldName(CONTENT);
        byte[] content = event.message().content();
        values.writeBytes(content, 0, content.length);
        gen.writeEndObject();
        writeUncommitted(event);
        gen.writeEndObject();
    }

    private void writeSource(Source s) throws IOException {
        if (s == null) {
            gen.writeNull();
            return;
        }
        gen.writeStartObject();
        gen.writeFieldName(VERSION);
        gen.writeString(s.version());
        gen.writeFieldName(CONNECTOR);
        gen.writeString(s.connector());
        gen.writeFieldName(NAME);
        gen.writeString(s.name());
        gen.writeFieldName(TS_MS);
        gen.writeNumber(s.tsMs());
        gen.writeFieldName(SNAPSHOT);
        gen.writeString(s.snapshot());
        gen.writeFieldName(DB);
        gen.writeString(s.db());
        gen.writeFieldName(SCHEMA);
        gen.writeString(s.schema() == null ? "" : s.schema());   // Debezium: "" for messages
        gen.writeFieldName(TABLE);
        gen.writeString(s.table() == null ? "" : s.table());
        gen.writeFieldName(LSN);
        gen.writeNumber(s.lsn());
        gen.writeFieldName(TX_ID);
        writeNullableLong(s.txId());
        gen.writeFieldName(SEQUENCE);
        gen.writeString(s.sequence());
        gen.writeFieldName(XMIN);
        writeNullableLong(s.xmin());
        if (s.origin() != null) {
            // Not in Debezium's block; only there for changes another replication applied.
            gen.writeFieldName(ORIGIN);
            gen.writeString(s.origin());
        }
        if (s.gid() != null) {
            // Not in Debezium's block either; only there for prepared (two-phase) transactions.
            gen.writeFieldName(GID);
            gen.writeString(s.gid());
        }
        gen.writeEndObject();
    }

    private void writeNullableLong(Long value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else {
            gen.writeNumber(value.longValue());
        }
    }
}
