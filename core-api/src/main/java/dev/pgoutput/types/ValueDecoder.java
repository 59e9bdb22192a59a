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
     * Converts a text-form value of a built-in type (user-defined types need {@link #fromText(ValueType,
     * byte[], int, int)} with a resolved type; here they arrive as text).
     *
     * @param typeOid the column's type OID
     * @param buf     the message bytes
     * @param off     start of the value
     * @param len     length of the value
     * @return the Java value (never {@code null}: NULL columns are not converted)
     * @throws ValueFormatException when the text is not a valid value of the type
     */
    public static Object fromText(int typeOid, byte[] buf, int off, int len) {
        return fromText(ValueType.builtin(typeOid), buf, off, len);
    }

    /**
     * Converts a binary-form value of a built-in type.
     *
     * @throws ValueFormatException when the bytes are not a valid value of the type
     */
    public static Object fromBinary(int typeOid, byte[] buf, int off, int len) {
        return fromBinary(ValueType.builtin(typeOid), buf, off, len);
    }

    /**
     * Converts a text-form value.
     *
     * @param type the column's resolved type
     * @param buf  the message bytes
     * @param off  start of the value
     * @param len  length of the value
     * @return the Java value (never {@code null}: NULL columns are not converted)
     * @throws ValueFormatException when the text is not a valid value of the type
     */
    public static Object fromText(ValueType type, byte[] buf, int off, int len) {
        try {
            return switch (type.kind()) {
                case SCALAR -> scalarText(type.scalarOid(), buf, off, len);
                case ARRAY -> ArrayText.parse(type.element(), type.delimiter(), utf8(buf, off, len));
                case COMPOSITE -> StructuredText.composite(type, utf8(buf, off, len));
                case RANGE -> StructuredText.range(type.element(), utf8(buf, off, len));
                case MULTIRANGE -> StructuredText.multirange(type.element(), utf8(buf, off, len));
                case HSTORE -> StructuredText.hstore(utf8(buf, off, len));
                case UNKNOWN -> utf8(buf, off, len);
            };
        } catch (ValueFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValueFormatException(type.name(), utf8(buf, off, Math.min(len, 200)), e);
        }
    }

    /**
     * Converts a binary-form value (the type's send format, {@code binary(true)}) to the same Java value
     * as its text form. A type without a conversion arrives as {@link PgUnknownValue}.
     *
     * @throws ValueFormatException when the bytes are not a valid value of the type
     */
    public static Object fromBinary(ValueType type, byte[] buf, int off, int len) {
        try {
            return BinaryValues.convert(type, buf, off, len);
        } catch (ValueFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValueFormatException(type.name(), hex(buf, off, Math.min(len, 64)), e);
        }
    }

    private static Object scalarText(int oid, byte[] buf, int off, int len) {
        return switch (oid) {
            case PgType.BOOL -> parseBool(buf, off, len);
            case PgType.INT2 -> (short) parseBounded(buf, off, len, Short.MIN_VALUE, Short.MAX_VALUE);
            case PgType.INT4 -> (int) parseBounded(buf, off, len, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case PgType.INT8 -> parseLong(buf, off, len);
            // Unsigned 64 bits; values beyond Long.MAX_VALUE (never reached in practice) wrap to negative.
            case PgType.XID8 -> Long.parseUnsignedLong(ascii(buf, off, len));
            case PgType.OID, PgType.XID, PgType.CID -> parseBounded(buf, off, len, 0, 0xFFFF_FFFFL);
            case PgType.FLOAT4 -> Float.parseFloat(ascii(buf, off, len));
            case PgType.FLOAT8 -> Double.parseDouble(ascii(buf, off, len));
            case PgType.NUMERIC -> parseNumeric(ascii(buf, off, len));
            case PgType.MONEY -> parseMoney(utf8(buf, off, len));
            case PgType.BYTEA -> ByteaText.parse(buf, off, len);
            case PgType.UUID -> java.util.UUID.fromString(ascii(buf, off, len));
            case PgType.DATE -> TemporalText.parseDate(ascii(buf, off, len));
            case PgType.TIME -> TemporalText.parseTime(ascii(buf, off, len));
            case PgType.TIMETZ -> TemporalText.parseTimeTz(ascii(buf, off, len));
            case PgType.TIMESTAMP -> TemporalText.parseTimestamp(ascii(buf, off, len));
            case PgType.TIMESTAMPTZ -> TemporalText.parseTimestampTz(ascii(buf, off, len));
            case PgType.INTERVAL -> IntervalText.parse(ascii(buf, off, len));
            case PgType.INET -> NetworkText.parseInet(ascii(buf, off, len), false);
            case PgType.CIDR -> NetworkText.parseInet(ascii(buf, off, len), true);
            case PgType.POINT, PgType.LINE, PgType.LSEG, PgType.BOX, PgType.PATH, PgType.POLYGON, PgType.CIRCLE ->
                    GeometryText.parse(oid, ascii(buf, off, len));
            case PgType.PG_LSN -> parseLsn(ascii(buf, off, len));
            default -> utf8(buf, off, len);
        };
    }

    /** Converts one text-form element of an array, range or composite (already unquoted). */
    static Object fromText(ValueType type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return fromText(type, bytes, 0, bytes.length);
    }

    private static Boolean parseBool(byte[] buf, int off, int len) {
        if (len == 1 && buf[off] == 't') {
            return Boolean.TRUE;
        }
        if (len == 1 && buf[off] == 'f') {
            return Boolean.FALSE;
        }
        // The bool-to-text cast (not the output function) writes the words.
        if (len == 4 && ascii(buf, off, len).equals("true")) {
            return Boolean.TRUE;
        }
        if (len == 5 && ascii(buf, off, len).equals("false")) {
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

    /**
     * money's text depends on {@code lc_monetary}: {@code $1,234.56}, {@code -$1.00}, {@code ($1.00)}. Every
     * character but digits and the decimal point is dropped; a minus sign or parentheses make it negative.
     */
    private static BigDecimal parseMoney(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        boolean negative = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9' || c == '.') {
                digits.append(c);
            } else if (c == '-' || c == '(') {
                negative = true;
            }
        }
        BigDecimal v = new BigDecimal(digits.toString());
        return negative ? v.negate() : v;
    }

    /** {@code 16/B374D848}: the high and low 32 bits in hex. */
    private static long parseLsn(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash > 8 || text.length() - slash - 1 > 8 || slash == text.length() - 1) {
            throw new IllegalArgumentException("expected XXXXXXXX/XXXXXXXX");
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    private static String utf8(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.UTF_8);
    }

    private static String hex(byte[] buf, int off, int len) {
        StringBuilder sb = new StringBuilder("\\x");
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit((buf[off + i] >> 4) & 0xF, 16)).append(Character.forDigit(buf[off + i] & 0xF, 16));
        }
        return sb.toString();
    }

    private static String ascii(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }
}
