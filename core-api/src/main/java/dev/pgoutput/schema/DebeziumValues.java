package dev.pgoutput.schema;

import dev.pgoutput.types.PgInterval;
import dev.pgoutput.types.PgPoint;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conversions of the library's Java values to Debezium's representation, each written after the value Debezium
 * 3.6.1 was seen to write for the same column (see {@code DebeziumSchemaGoldenTest} in the Kafka Connect module).
 */
final class DebeziumValues {

    private static final long MICROS_PER_DAY = 86_400_000_000L;
    /** Debezium's average month for {@code MicroDuration}: 365.25 / 12 days. */
    private static final double DAYS_PER_MONTH_AVG = 365.25 / 12.0;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private DebeziumValues() {
    }

    /** PostgreSQL's epoch (2000-01-01) in days since 1970-01-01. */
    private static final int PG_EPOCH_DAYS = 10_957;
    /** What Debezium writes for {@code timestamp 'infinity'}: pgjdbc's positive-infinity milliseconds. */
    static final long TIMESTAMP_INFINITY = 9_223_372_036_825_200_000L;
    /** What Debezium writes (presumably) for {@code timestamp '-infinity'}: pgjdbc's negative-infinity constant. */
    static final long TIMESTAMP_NEGATIVE_INFINITY = -9_223_372_036_832_400_000L;

    /**
     * {@code io.debezium.time.Date}, Connect's {@code Date}: days since 1970-01-01. The infinities come out as
     * Debezium writes them: PostgreSQL's internal sentinels moved to the Unix epoch in int arithmetic
     * ({@code -infinity} was seen as -2147472691; {@code infinity} wraps the same way).
     */
    static Object epochDays(Object v) {
        if (!(v instanceof LocalDate d)) {
            return null;
        }
        if (d.equals(LocalDate.MAX)) {
            return Integer.MAX_VALUE + PG_EPOCH_DAYS;
        }
        if (d.equals(LocalDate.MIN)) {
            return Integer.MIN_VALUE + PG_EPOCH_DAYS;
        }
        return Math.toIntExact(d.toEpochDay());
    }

    /** Microseconds of the day; {@code 24:00:00} ({@link LocalTime#MAX}) as a whole day. */
    static long microsOfDay(LocalTime t) {
        return t.equals(LocalTime.MAX) ? MICROS_PER_DAY : t.toNanoOfDay() / 1_000L;
    }

    /** {@code io.debezium.time.MicroTime}. */
    static Object microTime(Object v) {
        return v instanceof LocalTime t ? (Object) microsOfDay(t) : null;
    }

    /** {@code io.debezium.time.Time}, Connect's {@code Time}: milliseconds of the day. */
    static Object milliTime(Object v) {
        return v instanceof LocalTime t ? (Object) (int) (microsOfDay(t) / 1_000L) : null;
    }

    /** Microseconds since the epoch of a timestamp without time zone read as UTC. */
    static Object microTimestamp(Object v) {
        if (!(v instanceof LocalDateTime t)) {
            return null;
        }
        if (t.equals(LocalDateTime.MAX)) {
            return TIMESTAMP_INFINITY;
        }
        if (t.equals(LocalDateTime.MIN)) {
            return TIMESTAMP_NEGATIVE_INFINITY;
        }
        long seconds = t.toEpochSecond(ZoneOffset.UTC);
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), t.getNano() / 1_000L);
    }

    /** Milliseconds since the epoch of a timestamp without time zone read as UTC. */
    static Object milliTimestamp(Object v) {
        if (v instanceof LocalDateTime t && (t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN))) {
            // Debezium divides the same constant by 1000 (9223372036825200 seen for 'infinity' in connect mode).
            return (Long) microTimestamp(v) / 1_000L;
        }
        Object micros = microTimestamp(v);
        return micros == null ? null : Math.floorDiv((Long) micros, 1_000L);
    }

    /**
     * {@code io.debezium.time.ZonedTimestamp}: ISO-8601 in UTC with as many fraction digits as the column's
     * precision ({@code .500} for {@code timestamptz(3)}), none for precision 0.
     */
    static Object zonedTimestamp(Object v, int precision) {
        if (!(v instanceof OffsetDateTime t)) {
            return null;
        }
        OffsetDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(DATE_TIME.format(utc));
        if (precision > 0) {
            String nanos = String.format("%09d", utc.getNano());
            sb.append('.').append(nanos, 0, Math.min(precision, 9));
        }
        return sb.append('Z').toString();
    }

    /** {@code io.debezium.time.ZonedTime}: the time in UTC, ISO-8601 ({@code 08:15:06.5Z}). */
    static Object zonedTime(Object v) {
        if (!(v instanceof OffsetTime t)) {
            return null;
        }
        return DateTimeFormatter.ISO_OFFSET_TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /**
     * {@code io.debezium.time.MicroDuration}: computed as Debezium does from the interval's parts (years, months,
     * days, hours, minutes, seconds with fraction), with an average month of 30.4375 days, in double arithmetic.
     */
    static Object microDuration(Object v) {
        if (!(v instanceof PgInterval i)) {
            return null;
        }
        int years = i.months() / 12;
        int months = i.months() % 12;
        long micros = i.microseconds();
        long hours = micros / 3_600_000_000L;
        long minutes = (micros % 3_600_000_000L) / 60_000_000L;
        long wholeSeconds = (micros % 60_000_000L) / 1_000_000L;
        long fraction = micros % 1_000_000L;
        double seconds = wholeSeconds + fraction / 1e6;
        double numberOfDays = ((years * 12) + months) * DAYS_PER_MONTH_AVG + i.days();
        double numberOfSeconds = (((numberOfDays * 24 + hours) * 60) + minutes) * 60 + seconds;
        return (long) (numberOfSeconds * 1e6);
    }

    /**
     * {@code io.debezium.time.Interval}: ISO-8601 text with every part written, as Debezium does
     * ({@code P0Y-1M-2DT0H0M0S}, {@code P1Y2M3DT4H5M6.5S}).
     */
    static Object intervalString(Object v) {
        if (!(v instanceof PgInterval i)) {
            return null;
        }
        long micros = i.microseconds();
        long hours = micros / 3_600_000_000L;
        long minutes = (micros % 3_600_000_000L) / 60_000_000L;
        BigDecimal seconds = BigDecimal.valueOf(micros % 60_000_000L, 6).stripTrailingZeros();
        return "P" + i.months() / 12 + "Y" + i.months() % 12 + "M" + i.days() + "DT" + hours + "H" + minutes + "M"
                + (seconds.signum() == 0 ? "0" : seconds.toPlainString()) + "S";
    }

    /** Connect's {@code Decimal}: the value at the column's scale; NaN and infinities have none (null). */
    static Object decimal(Object v, int scale) {
        return v instanceof BigDecimal d ? d.setScale(scale, java.math.RoundingMode.HALF_UP) : null;
    }

    /** {@code io.debezium.data.VariableScaleDecimal}: {@code {scale, value}} with the unscaled two's complement. */
    static Object variableScaleDecimal(Object v) {
        if (!(v instanceof BigDecimal d)) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scale", d.scale());
        m.put("value", d.unscaledValue().toByteArray());
        return m;
    }

    /** {@code decimal.handling.mode=double}. */
    static Object decimalAsDouble(Object v) {
        return v instanceof Number n ? (Object) n.doubleValue() : null;
    }

    /**
     * {@code decimal.handling.mode=string}: the number's text; NaN and the infinities by the names Debezium
     * writes ({@code NAN} was seen; {@code POSITIVE_INFINITY}, {@code NEGATIVE_INFINITY} follow its enum).
     */
    static Object decimalAsString(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double n) {
            return n.isNaN() ? "NAN" : n > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY";
        }
        return null;
    }

    /**
     * {@code io.debezium.data.Bits}: the bit string as an unsigned number, little-endian, in its fewest bytes,
     * padded with zero bytes to {@code minBytes}.
     */
    static Object bits(Object v, int minBytes) {
        if (!(v instanceof String s) || s.isEmpty()) {
            return v instanceof String ? new byte[Math.max(minBytes, 0)] : null;
        }
        byte[] bigEndian = new BigInteger(s, 2).toByteArray();
        int start = 0;
        while (start < bigEndian.length && bigEndian[start] == 0) {
            start++;
        }
        int length = bigEndian.length - start;
        byte[] out = new byte[Math.max(length, minBytes)];
        for (int k = 0; k < length; k++) {
            out[k] = bigEndian[bigEndian.length - 1 - k];
        }
        return out;
    }

    /** {@code bit(1)}: a boolean. */
    static Object bit(Object v) {
        return v instanceof String s ? (Object) s.equals("1") : null;
    }

    /** {@code io.debezium.data.geometry.Point}: {@code {x, y, wkb, srid}} with a little-endian WKB point. */
    static Object point(Object v) {
        if (!(v instanceof PgPoint p)) {
            return null;
        }
        ByteBuffer wkb = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN);
        wkb.put((byte) 1).putInt(1).putDouble(p.x()).putDouble(p.y());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", p.x());
        m.put("y", p.y());
        m.put("wkb", wkb.array());
        m.put("srid", null);
        return m;
    }

    /** {@code binary.handling.mode}. */
    static Object binary(Object v, SchemaOptions.BinaryHandling mode) {
        if (!(v instanceof byte[] b)) {
            return null;
        }
        return switch (mode) {
            case BYTES -> b;
            case BASE64 -> Base64.getEncoder().encodeToString(b);
            case BASE64_URL_SAFE -> Base64.getUrlEncoder().encodeToString(b);
            case HEX -> HexFormat.of().formatHex(b);
        };
    }

    /** {@code hstore.handling.mode=json}: the map as a JSON object of strings (null values kept). */
    static Object hstoreJson(Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            return null;
        }
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, String.valueOf(e.getKey())).append(':');
            if (e.getValue() == null) {
                sb.append("null");
            } else {
                quote(sb, String.valueOf(e.getValue()));
            }
        }
        return sb.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
