package dev.pgoutput.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.types.PgType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the rows of an event ({@code before}, {@code after}) and their values.
 *
 * <p>A {@link Row} is written column by column from the message bytes where the text form already is the
 * JSON form: integers, numerics and floats are copied as number tokens, strings are handed to Jackson as
 * UTF-8 bytes to escape, booleans are read from their one letter. Nothing is converted to a Java value
 * for those columns. Every other column (dates, times, bytea, arrays, binary-format values) and any text
 * that fails a fast-path check is written from {@link Row#value(int)}, through the same rules as any other
 * Java value, so both paths give the same JSON for the same value.
 *
 * <p>One instance per generator and thread: it keeps reusable scratch space.
 */
final class ValueWriter {

    private static final SerializedString UNAVAILABLE = new SerializedString(UnchangedToast.DEBEZIUM_PLACEHOLDER);
    private static final SerializedString NAN = new SerializedString("NaN");
    private static final SerializedString POSITIVE_INFINITY = new SerializedString("Infinity");
    private static final SerializedString NEGATIVE_INFINITY = new SerializedString("-Infinity");

    private final JsonGenerator gen;
    private final RawNumber rawNumber = new RawNumber();
    private final char[] scratch = new char[IsoTemporal.MAX_LENGTH];

    ValueWriter(JsonGenerator gen) {
        this.gen = gen;
    }

    /** Writes a row: {@code null}, a {@link Row} from the message bytes, or any other map as generic values. */
    void writeRow(Map<String, Object> row) throws IOException {
        if (row == null) {
            gen.writeNull();
        } else if (row instanceof Row r) {
            writeRowView(r);
        } else {
            writeMap(row);
        }
    }

    private void writeRowView(Row row) throws IOException {
        gen.writeStartObject();
        int n = row.size();
        for (int i = 0; i < n; i++) {
            ColumnDescriptor column = row.column(i);
            gen.writeFieldName(column.name());
            switch (row.kind(i)) {
                case TupleData.NULL -> gen.writeNull();
                case TupleData.UNCHANGED_TOAST -> gen.writeString(UNAVAILABLE);
                case TupleData.TEXT -> writeText(row, i, column.typeOid());
                // Binary values go through Row.value so that they follow the core once it converts them;
                // today that is a byte[], written as base64.
                default -> writeValue(row.value(i));
            }
        }
        gen.writeEndObject();
    }

    private void writeText(Row row, int i, int typeOid) throws IOException {
        byte[] buf = row.rawBuffer(i);
        int off = row.rawOffset(i);
        int len = row.rawLength(i);
        switch (typeOid) {
            case PgType.INT2, PgType.INT4, PgType.INT8, PgType.OID -> {
                if (TextForms.isJsonLong(buf, off, len)) {
                    gen.writeRawValue(rawNumber.set(buf, off, len));
                } else {
                    writeValue(row.value(i));
                }
            }
            case PgType.NUMERIC, PgType.FLOAT4, PgType.FLOAT8 -> writeDecimalText(row, i, buf, off, len);
            case PgType.BOOL -> {
                if (len == 1 && buf[off] == 't') {
                    gen.writeBoolean(true);
                } else if (len == 1 && buf[off] == 'f') {
                    gen.writeBoolean(false);
                } else {
                    writeValue(row.value(i));
                }
            }
            case PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.NAME, PgType.CHAR, PgType.JSON, PgType.JSONB,
                 PgType.UUID -> writeUtf8(buf, off, len);
            case PgType.BYTEA, PgType.DATE, PgType.TIME, PgType.TIMESTAMP, PgType.TIMESTAMPTZ -> writeValue(row.value(i));
            default -> {
                if (PgType.elementOf(typeOid) != 0) {
                    writeValue(row.value(i));
                } else {
                    // Types without a conversion are their text form in the core too.
                    writeUtf8(buf, off, len);
                }
            }
        }
    }

    /** numeric, float4, float8: the exact text as a number; NaN and the infinities as strings. */
    private void writeDecimalText(Row row, int i, byte[] buf, int off, int len) throws IOException {
        if (TextForms.isJsonNumber(buf, off, len)) {
            gen.writeRawValue(rawNumber.set(buf, off, len));
        } else if (TextForms.equalsAscii(buf, off, len, "NaN")) {
            gen.writeString(NAN);
        } else if (TextForms.equalsAscii(buf, off, len, "Infinity")) {
            gen.writeString(POSITIVE_INFINITY);
        } else if (TextForms.equalsAscii(buf, off, len, "-Infinity")) {
            gen.writeString(NEGATIVE_INFINITY);
        } else {
            writeValue(row.value(i));
        }
    }

    private void writeUtf8(byte[] buf, int off, int len) throws IOException {
        if (TextForms.isWellFormedUtf8(buf, off, len)) {
            gen.writeUTF8String(buf, off, len);
        } else {
            // Malformed sequences become U+FFFD rather than invalid JSON.
            gen.writeString(new String(buf, off, len, StandardCharsets.UTF_8));
        }
    }

    /**
     * Writes any value a row may hold, and the usual Java types a hand-made map may hold: numbers,
     * booleans, strings, {@code byte[]} and {@link ByteBuffer} (base64), {@code java.time} values (ISO-8601),
     * {@link UUID}, lists, arrays and maps (recursively), {@link UnchangedToast}. Anything else is written
     * as its {@code toString()}.
     */
    void writeValue(Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String s) {
            gen.writeString(s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            gen.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal d) {
            // Plain notation: toString() would turn 0.0000001 into 1E-7. Not writeNumber(BigDecimal):
            // Jackson refuses plain output beyond scale 9999, and numeric allows 16383 fraction digits.
            gen.writeNumber(d.toPlainString());
        } else if (value instanceof Double d) {
            writeDouble(d);
        } else if (value instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) {
                writeDouble(f.doubleValue());
            } else {
                gen.writeNumber(f.floatValue());
            }
        } else if (value instanceof BigInteger b) {
            gen.writeNumber(b);
        } else if (value instanceof Number n) {
            writeOtherNumber(n);
        } else if (value instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (value == UnchangedToast.VALUE) {
            gen.writeString(UNAVAILABLE);
        } else if (value instanceof byte[] bytes) {
            gen.writeBinary(bytes);
        } else if (value instanceof ByteBuffer bb) {
            writeByteBuffer(bb);
        } else if (value instanceof UUID u) {
            gen.writeString(u.toString());
        } else if (value instanceof Row r) {
            writeRowView(r);
        } else if (value instanceof Map<?, ?> m) {
            writeMap(m);
        } else if (value instanceof Collection<?> c) {
            gen.writeStartArray();
            for (Object element : c) {
                writeValue(element);
            }
            gen.writeEndArray();
        } else if (value instanceof Object[] array) {
            gen.writeStartArray();
            for (Object element : array) {
                writeValue(element);
            }
            gen.writeEndArray();
        } else {
            int len = IsoTemporal.format(value, scratch);
            if (len >= 0) {
                gen.writeString(scratch, 0, len);
            } else {
                gen.writeString(value.toString());
            }
        }
    }

    private void writeMap(Map<?, ?> map) throws IOException {
        gen.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            gen.writeFieldName(String.valueOf(e.getKey()));
            writeValue(e.getValue());
        }
        gen.writeEndObject();
    }

    private void writeDouble(double d) throws IOException {
        if (Double.isNaN(d)) {
            gen.writeString(NAN);
        } else if (d == Double.POSITIVE_INFINITY) {
            gen.writeString(POSITIVE_INFINITY);
        } else if (d == Double.NEGATIVE_INFINITY) {
            gen.writeString(NEGATIVE_INFINITY);
        } else {
            gen.writeNumber(d);
        }
    }

    /** AtomicLong, LongAdder, a user's Number: its text if that is a JSON number, else a string. */
    private void writeOtherNumber(Number n) throws IOException {
        String text = n.toString();
        byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        if (TextForms.isJsonNumber(ascii, 0, ascii.length)) {
            gen.writeNumber(text);
        } else {
            gen.writeString(text);
        }
    }

    private void writeByteBuffer(ByteBuffer bb) throws IOException {
        if (bb.hasArray()) {
            gen.writeBinary(bb.array(), bb.arrayOffset() + bb.position(), bb.remaining());
        } else {
            byte[] copy = new byte[bb.remaining()];
            bb.duplicate().get(copy);
            gen.writeBinary(copy);
        }
    }
}
