package dev.pgoutput.types;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Converts one column value from the bytes pgoutput sent to the Java value documented in the README's
 * type table. Types without a dedicated conversion arrive as their text form ({@link String}).
 *
 * <p>Special values that a Java type cannot hold are mapped as documented: numeric {@code NaN} and
 * {@code ±Infinity} become {@link Double}; {@code infinity}/{@code -infinity} dates and timestamps
 * become the {@code MAX}/{@code MIN} constants of their Java type.
 */
public final class ValueDecoder {

    private ValueDecoder() {
    }

    /**
     * Converts a text-form value.
     *
     * @param typeOid the column's type OID
     * @param buf     the message bytes
     * @param off     start of the value
     * @param len     length of the value
     * @return the Java value (never {@code null}: NULL columns are not converted)
     * @throws ValueFormatException when the text is not a valid value of the type
     */
    public static Object fromText(int typeOid, byte[] buf, int off, int len) {
        try {
            return switch (typeOid) {
                case PgType.BOOL -> parseBool(buf, off, len);
                case PgType.INT2 -> (short) parseBounded(buf, off, len, Short.MIN_VALUE, Short.MAX_VALUE);
                case PgType.INT4 -> (int) parseBounded(buf, off, len, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case PgType.INT8 -> parseLong(buf, off, len);
                case PgType.OID -> parseLong(buf, off, len);
                case PgType.FLOAT4 -> Float.parseFloat(ascii(buf, off, len));
                case PgType.FLOAT8 -> Double.parseDouble(ascii(buf, off, len));
                case PgType.NUMERIC -> parseNumeric(ascii(buf, off, len));
                case PgType.BYTEA -> ByteaText.parse(buf, off, len);
                case PgType.UUID -> java.util.UUID.fromString(ascii(buf, off, len));
                case PgType.DATE -> TemporalText.parseDate(ascii(buf, off, len));
                case PgType.TIME -> TemporalText.parseTime(ascii(buf, off, len));
                case PgType.TIMESTAMP -> TemporalText.parseTimestamp(ascii(buf, off, len));
                case PgType.TIMESTAMPTZ -> TemporalText.parseTimestampTz(ascii(buf, off, len));
                default -> {
                    int element = PgType.elementOf(typeOid);
                    if (element != 0) {
                        yield ArrayText.parse(element, new String(buf, off, len, StandardCharsets.UTF_8));
                    }
                    yield new String(buf, off, len, StandardCharsets.UTF_8);
                }
            };
        } catch (ValueFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValueFormatException(typeOid, new String(buf, off, Math.min(len, 200), StandardCharsets.UTF_8), e);
        }
    }

    /** Converts one text-form element of an array (already unquoted). */
    static Object fromText(int typeOid, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return fromText(typeOid, bytes, 0, bytes.length);
    }

    /**
     * Converts a binary-form value. Binary tuple format is not converted yet: the value arrives as a copy
     * of its bytes.
     */
    public static Object fromBinary(int typeOid, byte[] buf, int off, int len) {
        return java.util.Arrays.copyOfRange(buf, off, off + len);
    }

    private static Boolean parseBool(byte[] buf, int off, int len) {
        if (len == 1 && buf[off] == 't') {
            return Boolean.TRUE;
        }
        if (len == 1 && buf[off] == 'f') {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("expected t or f");
    }

    private static long parseBounded(byte[] buf, int off, int len, long min, long max) {
        long v = parseLong(buf, off, len);
        if (v < min || v > max) {
            throw new NumberFormatException("integer out of range");
        }
        return v;
    }

    /** Parses a decimal integer without building a String: the hot case for keys and counters. */
    static long parseLong(byte[] buf, int off, int len) {
        if (len == 0 || len > 20) {
            throw new NumberFormatException("not an integer");
        }
        int i = off;
        int end = off + len;
        boolean negative = buf[i] == '-';
        if (negative || buf[i] == '+') {
            i++;
            if (i == end) {
                throw new NumberFormatException("not an integer");
            }
        }
        long value = 0;
        for (; i < end; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not an integer");
            }
            // Accumulate negatively so that Long.MIN_VALUE parses without overflow.
            if (value < (Long.MIN_VALUE + d) / 10) {
                throw new NumberFormatException("integer out of range");
            }
            value = value * 10 - d;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw new NumberFormatException("integer out of range");
            }
            value = -value;
        }
        return value;
    }

    private static Object parseNumeric(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> new BigDecimal(text);
        };
    }

    private static String ascii(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }
}
