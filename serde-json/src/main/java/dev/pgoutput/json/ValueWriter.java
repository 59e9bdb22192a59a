package dev.pgoutput.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.types.PgBox;
import dev.pgoutput.types.PgCircle;
import dev.pgoutput.types.PgInet;
import dev.pgoutput.types.PgInterval;
import dev.pgoutput.types.PgLine;
import dev.pgoutput.types.PgLineSegment;
import dev.pgoutput.types.PgPath;
import dev.pgoutput.types.PgPoint;
import dev.pgoutput.types.PgPolygon;
import dev.pgoutput.types.PgRange;
import dev.pgoutput.types.PgUnknownValue;
import dev.pgoutput.types.ValueType;
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
 * JSON form, as each column's type says ({@link ValueType#jsonForm()}): integers, numerics and floats are copied as number tokens, strings are handed to Jackson as
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

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final JsonGenerator gen;
    private final JsonOptions options;
    private final RawNumber rawNumber = new RawNumber();
    private final char[] scratch = new char[IsoTemporal.MAX_LENGTH];

    ValueWriter(JsonGenerator gen) {
        this(gen, JsonOptions.DEFAULTS);
    }

    ValueWriter(JsonGenerator gen, JsonOptions options) {
        this.gen = gen;
        this.options = options;
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
            switch (row.form(i)) {
                case NULL -> gen.writeNull();
                case UNCHANGED_TOAST -> gen.writeString(UNAVAILABLE);
                case TEXT -> writeText(row, i, column.valueType());
                // Binary values go through Row.value: their Java value is what both tuple formats share.
                case BINARY -> writeValue(row.value(i));
            }
        }
        gen.writeEndObject();
    }

    /**
     * A text-form value: copied from the message where its type says its text already is its JSON form,
     * otherwise written from its Java value (so that both tuple formats give the same JSON).
     */
    private void writeText(Row row, int i, ValueType type) throws IOException {
        byte[] buf = row.valueBuffer(i);
        int off = row.valueOffset(i);
        int len = row.valueLength(i);
        switch (type.jsonForm()) {
            case INTEGER -> {
                if (TextForms.isJsonLong(buf, off, len)) {
                    gen.writeRawValue(rawNumber.set(buf, off, len));
                } else {
                    writeValue(row.value(i));
                }
            }
            case DECIMAL -> {
                if (options.decimalHandling() == JsonOptions.DecimalHandling.PRECISE) {
                    writeDecimalText(row, i, buf, off, len);
                } else {
                    writeValue(row.value(i));
                }
            }
            case FLOAT -> writeDecimalText(row, i, buf, off, len);
            case BOOLEAN -> {
                if (len == 1 && buf[off] == 't') {
                    gen.writeBoolean(true);
                } else if (len == 1 && buf[off] == 'f') {
                    gen.writeBoolean(false);
                } else {
                    writeValue(row.value(i));
                }
            }
            case STRING -> writeUtf8(buf, off, len);
            case CONVERTED -> writeValue(row.value(i));
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
            switch (options.decimalHandling()) {
                case PRECISE -> gen.writeNumber(d.toPlainString());
                case STRING -> gen.writeString(d.toPlainString());
                case DOUBLE -> gen.writeNumber(d.doubleValue());
            }
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
            writeBytes(bytes, 0, bytes.length);
        } else if (value instanceof PgUnknownValue u) {
            writeBytes(u.bytes(), 0, u.bytes().length);
        } else if (value instanceof PgInterval interval) {
            if (options.intervalHandling() == JsonOptions.IntervalHandling.NUMERIC) {
                gen.writeNumber(interval.toApproximateMicros());
            } else {
                gen.writeString(interval.toIso8601());
            }
        } else if (value instanceof PgInet inet) {
            gen.writeString(inet.toString());
        } else if (value instanceof PgRange<?> range) {
            writeRange(range);
        } else if (value instanceof PgPoint || value instanceof PgLine || value instanceof PgLineSegment
                || value instanceof PgBox || value instanceof PgPath || value instanceof PgPolygon
                || value instanceof PgCircle) {
            writeGeometry(value);
        } else if (options.timePrecision() == JsonOptions.TimePrecision.ADAPTIVE_TIME_MICROSECONDS
                && writeTemporalNumber(value)) {
            return;
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

    /** Bytes as the binary handling mode says: base64 (Debezium's default) or hex. */
    void writeBytes(byte[] bytes, int off, int len) throws IOException {
        if (options.binaryHandling() == JsonOptions.BinaryHandling.HEX) {
            char[] out = new char[2 * len];
            for (int i = 0; i < len; i++) {
                out[2 * i] = HEX[(bytes[off + i] >> 4) & 0xF];
                out[2 * i + 1] = HEX[bytes[off + i] & 0xF];
            }
            gen.writeString(out, 0, out.length);
        } else {
            gen.writeBinary(bytes, off, len);
        }
    }

    /** {@code {"lower": v, "upper": v, "lower_inclusive": b, "upper_inclusive": b}}, or {@code "empty"}. */
    private void writeRange(PgRange<?> range) throws IOException {
        if (range.empty()) {
            gen.writeString("empty");
            return;
        }
        gen.writeStartObject();
        gen.writeFieldName("lower");
        writeValue(range.lower());
        gen.writeFieldName("upper");
        writeValue(range.upper());
        gen.writeFieldName("lower_inclusive");
        gen.writeBoolean(range.lowerInclusive());
        gen.writeFieldName("upper_inclusive");
        gen.writeBoolean(range.upperInclusive());
        gen.writeEndObject();
    }

    /** Geometric values as objects of their coordinates (as Debezium's point struct: {@code x}, {@code y}). */
    private void writeGeometry(Object value) throws IOException {
        gen.writeStartObject();
        if (value instanceof PgPoint p) {
            field("x", p.x());
            field("y", p.y());
        } else if (value instanceof PgLine l) {
            field("a", l.a());
            field("b", l.b());
            field("c", l.c());
        } else if (value instanceof PgLineSegment s) {
            gen.writeFieldName("start");
            writeGeometry(s.start());
            gen.writeFieldName("end");
            writeGeometry(s.end());
        } else if (value instanceof PgBox b) {
            gen.writeFieldName("high");
            writeGeometry(b.high());
            gen.writeFieldName("low");
            writeGeometry(b.low());
        } else if (value instanceof PgPath p) {
            gen.writeFieldName("points");
            writePoints(p.points());
            gen.writeFieldName("closed");
            gen.writeBoolean(p.closed());
        } else if (value instanceof PgPolygon p) {
            gen.writeFieldName("points");
            writePoints(p.points());
        } else if (value instanceof PgCircle c) {
            gen.writeFieldName("center");
            writeGeometry(c.center());
            field("radius", c.radius());
        }
        gen.writeEndObject();
    }

    private void writePoints(java.util.List<PgPoint> points) throws IOException {
        gen.writeStartArray();
        for (PgPoint p : points) {
            writeGeometry(p);
        }
        gen.writeEndArray();
    }

    private void field(String name, double v) throws IOException {
        gen.writeFieldName(name);
        writeDouble(v);
    }

    /**
     * {@code time.precision.mode=adaptive_time_microseconds}: date as days since 1970-01-01, time as
     * microseconds of the day, timestamp as microseconds since the epoch. Infinities and timestamptz stay
     * strings.
     */
    private boolean writeTemporalNumber(Object value) throws IOException {
        if (value instanceof java.time.LocalDate d && !d.equals(java.time.LocalDate.MAX)
                && !d.equals(java.time.LocalDate.MIN)) {
            gen.writeNumber(d.toEpochDay());
            return true;
        }
        if (value instanceof java.time.LocalTime t) {
            gen.writeNumber(t.equals(java.time.LocalTime.MAX) ? MICROS_PER_DAY : t.toNanoOfDay() / 1000);
            return true;
        }
        if (value instanceof java.time.LocalDateTime t && !t.equals(java.time.LocalDateTime.MAX)
                && !t.equals(java.time.LocalDateTime.MIN)) {
            java.time.Instant i = t.toInstant(java.time.ZoneOffset.UTC);
            gen.writeNumber(Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000));
            return true;
        }
        return false;
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
