package dev.pgoutput.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Binary send forms (what each type's {@code *_send} function writes, big-endian) converted to the same Java
 * values as the text forms. Layouts from the PostgreSQL documentation and sources; the code is ours.
 */
final class BinaryValues {

    /** 2000-01-01, PostgreSQL's epoch for dates and timestamps, as days since 1970-01-01. */
    private static final long PG_EPOCH_DAYS = 10_957;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final LocalDateTime PG_EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);

    private static final int NUMERIC_NEG = 0x4000;
    private static final int NUMERIC_NAN = 0xC000;
    private static final int NUMERIC_PINF = 0xD000;
    private static final int NUMERIC_NINF = 0xF000;

    private static final int RANGE_EMPTY = 0x01;
    private static final int RANGE_LB_INC = 0x02;
    private static final int RANGE_UB_INC = 0x04;
    private static final int RANGE_LB_INF = 0x08;
    private static final int RANGE_UB_INF = 0x10;

    private BinaryValues() {
    }

    static Object convert(ValueType type, byte[] b, int off, int len) {
        return switch (type.kind()) {
            case SCALAR -> scalar(type.scalarOid(), b, off, len);
            case ARRAY -> array(type.element(), b, off, len);
            case COMPOSITE -> composite(type, b, off, len);
            case RANGE -> range(type.element(), b, off, len);
            case MULTIRANGE -> multirange(type.element(), b, off, len);
            case HSTORE -> hstore(b, off, len);
            case UNKNOWN -> new PgUnknownValue(type.name(), java.util.Arrays.copyOfRange(b, off, off + len));
        };
    }

    static Object scalar(int oid, byte[] b, int off, int len) {
        return switch (oid) {
            case PgType.BOOL -> {
                need(len, 1);
                yield b[off] != 0;
            }
            case PgType.INT2 -> {
                need(len, 2);
                yield (short) int16(b, off);
            }
            case PgType.INT4 -> {
                need(len, 4);
                yield int32(b, off);
            }
            case PgType.INT8, PgType.XID8, PgType.PG_LSN -> {
                need(len, 8);
                yield int64(b, off);
            }
            case PgType.OID, PgType.XID, PgType.CID -> {
                need(len, 4);
                yield int32(b, off) & 0xFFFF_FFFFL;
            }
            case PgType.FLOAT4 -> {
                need(len, 4);
                yield Float.intBitsToFloat(int32(b, off));
            }
            case PgType.FLOAT8 -> {
                need(len, 8);
                yield Double.longBitsToDouble(int64(b, off));
            }
            case PgType.NUMERIC -> numeric(b, off, len);
            case PgType.MONEY -> {
                need(len, 8);
                yield BigDecimal.valueOf(int64(b, off), 2);
            }
            case PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.NAME, PgType.JSON, PgType.XML ->
                    utf8(b, off, len);
            case PgType.JSONB, PgType.JSONPATH -> {
                if (len < 1 || b[off] != 1) {
                    throw new IllegalArgumentException("unknown " + PgType.nameOf(oid) + " binary version");
                }
                yield utf8(b, off + 1, len - 1);
            }
            case PgType.CHAR -> charValue(b, off, len);
            case PgType.BYTEA -> java.util.Arrays.copyOfRange(b, off, off + len);
            case PgType.UUID -> {
                need(len, 16);
                yield new UUID(int64(b, off), int64(b, off + 8));
            }
            case PgType.DATE -> {
                need(len, 4);
                yield date(int32(b, off));
            }
            case PgType.TIME -> {
                need(len, 8);
                yield time(int64(b, off));
            }
            case PgType.TIMETZ -> {
                need(len, 12);
                // The zone is stored in seconds west of Greenwich, the opposite sign of an ISO offset.
                yield OffsetTime.of(time(int64(b, off)), ZoneOffset.ofTotalSeconds(-int32(b, off + 8)));
            }
            case PgType.TIMESTAMP -> {
                need(len, 8);
                yield timestamp(int64(b, off));
            }
            case PgType.TIMESTAMPTZ -> {
                need(len, 8);
                long micros = int64(b, off);
                if (micros == Long.MAX_VALUE) {
                    yield OffsetDateTime.MAX;
                }
                if (micros == Long.MIN_VALUE) {
                    yield OffsetDateTime.MIN;
                }
                yield OffsetDateTime.of(timestamp(micros), ZoneOffset.UTC);
            }
            case PgType.INTERVAL -> {
                need(len, 16);
                PgInterval i = new PgInterval(int32(b, off + 12), int32(b, off + 8), int64(b, off));
                yield i;
            }
            case PgType.INET, PgType.CIDR -> inet(b, off, len);
            case PgType.MACADDR -> {
                need(len, 6);
                yield NetworkText.formatMac(b, off, 6);
            }
            case PgType.MACADDR8 -> {
                need(len, 8);
                yield NetworkText.formatMac(b, off, 8);
            }
            case PgType.BIT, PgType.VARBIT -> bits(b, off, len);
            case PgType.POINT -> {
                need(len, 16);
                yield point(b, off);
            }
            case PgType.LINE -> {
                need(len, 24);
                yield new PgLine(float8(b, off), float8(b, off + 8), float8(b, off + 16));
            }
            case PgType.LSEG -> {
                need(len, 32);
                yield new PgLineSegment(point(b, off), point(b, off + 16));
            }
            case PgType.BOX -> {
                need(len, 32);
                yield new PgBox(point(b, off), point(b, off + 16));
            }
            case PgType.CIRCLE -> {
                need(len, 24);
                yield new PgCircle(point(b, off), float8(b, off + 16));
            }
            case PgType.PATH -> {
                boolean closed = len >= 1 && b[off] != 0;
                yield new PgPath(points(b, off + 1, len - 1), closed);
            }
            case PgType.POLYGON -> new PgPolygon(points(b, off, len));
            case PgType.TSVECTOR -> TextSearchBinary.tsvector(b, off, len);
            case PgType.TSQUERY -> TextSearchBinary.tsquery(b, off, len);
            default -> new PgUnknownValue(String.valueOf(PgType.nameOf(oid)), java.util.Arrays.copyOfRange(b, off, off + len));
        };
    }

    private static void need(int len, int expected) {
        if (len != expected) {
            throw new IllegalArgumentException("expected " + expected + " bytes, found " + len);
        }
    }

    static int int16(byte[] b, int off) {
        return (short) (((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF));
    }

    static int int32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long int64(byte[] b, int off) {
        return ((long) int32(b, off) << 32) | (int32(b, off + 4) & 0xFFFF_FFFFL);
    }

    private static double float8(byte[] b, int off) {
        return Double.longBitsToDouble(int64(b, off));
    }

    private static PgPoint point(byte[] b, int off) {
        return new PgPoint(float8(b, off), float8(b, off + 8));
    }

    private static List<PgPoint> points(byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated point count");
        }
        int n = int32(b, off);
        need(len, 4 + 16 * n);
        List<PgPoint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(point(b, off + 4 + 16 * i));
        }
        return out;
    }

    static String utf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** {@code "char"}: one byte; the text form writes a byte with the high bit set as {@code \ooo}. */
    private static String charValue(byte[] b, int off, int len) {
        if (len == 0 || b[off] == 0) {
            return "";
        }
        int c = b[off] & 0xFF;
        if (c < 0x80) {
            return String.valueOf((char) c);
        }
        return "\\" + (char) ('0' + (c >> 6)) + (char) ('0' + ((c >> 3) & 7)) + (char) ('0' + (c & 7));
    }

    static LocalDate date(int days) {
        if (days == Integer.MAX_VALUE) {
            return LocalDate.MAX;
        }
        if (days == Integer.MIN_VALUE) {
            return LocalDate.MIN;
        }
        return LocalDate.ofEpochDay(PG_EPOCH_DAYS + days);
    }

    private static LocalTime time(long micros) {
        if (micros == MICROS_PER_DAY) {
            return LocalTime.MAX;
        }
        return LocalTime.ofNanoOfDay(micros * 1000);
    }

    private static LocalDateTime timestamp(long micros) {
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        long days = Math.floorDiv(micros, MICROS_PER_DAY);
        long micro = Math.floorMod(micros, MICROS_PER_DAY);
        return PG_EPOCH.plusDays(days).plusNanos(micro * 1000);
    }

    /**
     * numeric: Int16 ndigits, Int16 weight (of the first digit, in base-10000 places), UInt16 sign, Int16
     * dscale (digits after the point), then ndigits base-10000 digits.
     */
    static Object numeric(byte[] b, int off, int len) {
        if (len < 8) {
            throw new IllegalArgumentException("truncated numeric");
        }
        int ndigits = int16(b, off);
        int weight = int16(b, off + 2);
        int sign = int16(b, off + 4) & 0xFFFF;
        int dscale = int16(b, off + 6);
        switch (sign) {
            case NUMERIC_NAN -> {
                return Double.NaN;
            }
            case NUMERIC_PINF -> {
                return Double.POSITIVE_INFINITY;
            }
            case NUMERIC_NINF -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        if (ndigits < 0 || len != 8 + 2 * ndigits || dscale < 0) {
            throw new IllegalArgumentException("bad numeric header");
        }
        BigInteger unscaled = BigInteger.ZERO;
        // Accumulate up to 4 base-10000 digits in a long before touching BigInteger.
        long chunk = 0;
        int inChunk = 0;
        BigInteger tenThousandPow4 = BigInteger.valueOf(10_000L * 10_000L * 10_000L * 10_000L);
        for (int i = 0; i < ndigits; i++) {
            int d = int16(b, off + 8 + 2 * i);
            if (d < 0 || d > 9999) {
                throw new IllegalArgumentException("bad numeric digit");
            }
            chunk = chunk * 10_000 + d;
            if (++inChunk == 4) {
                unscaled = unscaled.multiply(tenThousandPow4).add(BigInteger.valueOf(chunk));
                chunk = 0;
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            unscaled = unscaled.multiply(BigInteger.TEN.pow(4 * inChunk)).add(BigInteger.valueOf(chunk));
        }
        // The digits stand for unscaled * 10000^(weight - ndigits + 1).
        int scale = 4 * (ndigits - 1 - weight);
        BigDecimal value = new BigDecimal(sign == NUMERIC_NEG ? unscaled.negate() : unscaled, scale);
        return value.setScale(dscale, java.math.RoundingMode.UNNECESSARY);
    }

    /** inet/cidr: family (2 = IPv4, 3 = IPv6), bits, is_cidr, address length, address. */
    private static PgInet inet(byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated inet");
        }
        int bits = b[off + 1] & 0xFF;
        boolean cidr = b[off + 2] != 0;
        int n = b[off + 3] & 0xFF;
        need(len, 4 + n);
        if (n != 4 && n != 16) {
            throw new IllegalArgumentException("bad address length " + n);
        }
        return new PgInet(NetworkText.toAddress(java.util.Arrays.copyOfRange(b, off + 4, off + 4 + n)), bits, cidr);
    }

    /** bit/varbit: Int32 bit count, then the bits, most significant first. */
    private static String bits(byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated bit string");
        }
        int n = int32(b, off);
        need(len, 4 + (n + 7) / 8);
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = (b[off + 4 + i / 8] & (0x80 >>> (i % 8))) != 0 ? '1' : '0';
        }
        return new String(out);
    }

    /**
     * array: Int32 ndim, Int32 has-nulls flag, Int32 element OID, ndim pairs of (Int32 length, Int32 lower
     * bound), then each element as Int32 length (-1 = NULL) and bytes, last dimension fastest.
     */
    private static List<Object> array(ValueType element, byte[] b, int off, int len) {
        if (len < 12) {
            throw new IllegalArgumentException("truncated array header");
        }
        int ndim = int32(b, off);
        if (ndim < 0 || ndim > 6 || len < 12 + 8 * ndim) {
            throw new IllegalArgumentException("bad array dimensions");
        }
        if (ndim == 0) {
            return List.of();
        }
        int[] dims = new int[ndim];
        for (int d = 0; d < ndim; d++) {
            dims[d] = int32(b, off + 12 + 8 * d);
            if (dims[d] < 0) {
                throw new IllegalArgumentException("negative array length");
            }
        }
        int[] pos = {off + 12 + 8 * ndim};
        List<Object> result = arrayLevel(element, b, pos, off + len, dims, 0);
        if (pos[0] != off + len) {
            throw new IllegalArgumentException("junk after array");
        }
        return result;
    }

    private static List<Object> arrayLevel(ValueType element, byte[] b, int[] pos, int end, int[] dims, int level) {
        List<Object> items = new ArrayList<>(dims[level]);
        for (int i = 0; i < dims[level]; i++) {
            if (level + 1 < dims.length) {
                items.add(arrayLevel(element, b, pos, end, dims, level + 1));
            } else {
                items.add(item(element, b, pos, end));
            }
        }
        return Collections.unmodifiableList(items);
    }

    /** One length-prefixed item (-1 = NULL) at {@code pos[0]}, converted; advances {@code pos[0]}. */
    private static Object item(ValueType type, byte[] b, int[] pos, int end) {
        if (pos[0] + 4 > end) {
            throw new IllegalArgumentException("truncated item length");
        }
        int n = int32(b, pos[0]);
        pos[0] += 4;
        if (n == -1) {
            return null;
        }
        if (n < 0 || pos[0] + n > end) {
            throw new IllegalArgumentException("bad item length " + n);
        }
        Object v = ValueDecoder.fromBinary(type, b, pos[0], n);
        pos[0] += n;
        return v;
    }

    /** record: Int32 attribute count, then per attribute Int32 type OID, Int32 length (-1 = NULL), bytes. */
    private static Map<String, Object> composite(ValueType type, byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated record");
        }
        int n = int32(b, off);
        if (n != type.fieldNames().size()) {
            throw new IllegalArgumentException("expected " + type.fieldNames().size() + " attributes, found " + n);
        }
        int[] pos = {off + 4};
        int end = off + len;
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            pos[0] += 4; // the attribute's type OID: the catalog already told us
            out.put(type.fieldNames().get(i), item(type.fieldTypes().get(i), b, pos, end));
        }
        if (pos[0] != end) {
            throw new IllegalArgumentException("junk after record");
        }
        return Collections.unmodifiableMap(out);
    }

    /** range: a flags byte, then each finite bound as Int32 length and the subtype's binary form. */
    static PgRange<Object> range(ValueType subtype, byte[] b, int off, int len) {
        if (len < 1) {
            throw new IllegalArgumentException("truncated range");
        }
        int flags = b[off] & 0xFF;
        if ((flags & RANGE_EMPTY) != 0) {
            return PgRange.emptyRange();
        }
        int[] pos = {off + 1};
        int end = off + len;
        Object lower = (flags & RANGE_LB_INF) != 0 ? null : item(subtype, b, pos, end);
        Object upper = (flags & RANGE_UB_INF) != 0 ? null : item(subtype, b, pos, end);
        if (pos[0] != end) {
            throw new IllegalArgumentException("junk after range");
        }
        return new PgRange<>(lower, upper, (flags & RANGE_LB_INC) != 0, (flags & RANGE_UB_INC) != 0, false);
    }

    /** multirange: Int32 range count, then each range as Int32 length and the range's binary form. */
    private static List<PgRange<Object>> multirange(ValueType range, byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated multirange");
        }
        int n = int32(b, off);
        int pos = off + 4;
        int end = off + len;
        List<PgRange<Object>> out = new ArrayList<>(Math.max(0, Math.min(n, len / 5)));
        for (int i = 0; i < n; i++) {
            if (pos + 4 > end) {
                throw new IllegalArgumentException("truncated multirange");
            }
            int rlen = int32(b, pos);
            pos += 4;
            if (rlen < 0 || pos + rlen > end) {
                throw new IllegalArgumentException("bad range length");
            }
            out.add(range(range.element(), b, pos, rlen));
            pos += rlen;
        }
        if (pos != end) {
            throw new IllegalArgumentException("junk after multirange");
        }
        return Collections.unmodifiableList(out);
    }

    /** hstore: Int32 pair count, then per pair Int32 key length, key, Int32 value length (-1 = NULL), value. */
    private static Map<String, String> hstore(byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated hstore");
        }
        int n = int32(b, off);
        int pos = off + 4;
        int end = off + len;
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int klen = checkedLength(b, pos, end, false);
            String key = utf8(b, pos + 4, klen);
            pos += 4 + klen;
            int vlen = checkedLength(b, pos, end, true);
            pos += 4;
            out.put(key, vlen < 0 ? null : utf8(b, pos, vlen));
            pos += Math.max(vlen, 0);
        }
        if (pos != end) {
            throw new IllegalArgumentException("junk after hstore");
        }
        return Collections.unmodifiableMap(out);
    }

    private static int checkedLength(byte[] b, int pos, int end, boolean nullable) {
        if (pos + 4 > end) {
            throw new IllegalArgumentException("truncated length");
        }
        int n = int32(b, pos);
        if ((n == -1 && nullable)) {
            return n;
        }
        if (n < 0 || pos + 4 + n > end) {
            throw new IllegalArgumentException("bad length " + n);
        }
        return n;
    }
}
