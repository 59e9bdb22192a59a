package dev.pgoutput.types;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Binary send forms (what each type's {@code *_send} function writes, big-endian) converted to the same Java
 * values as the text forms. Layouts from the PostgreSQL documentation and sources; the code is ours.
 *
 * <p>This class dispatches on the type and reads the fixed-size scalars; each family with a layout of its own
 * has its class: {@link TemporalBinary}, {@link NumericBinary}, {@link NetworkBinary}, {@link GeometryBinary},
 * {@link TextSearchBinary} and {@link StructuredBinary} (arrays, composites, ranges, {@code hstore}).
 */
final class BinaryValues {

    private BinaryValues() {
    }

    /** The built-in scalar types {@link #scalar} converts; any other comes back as {@link PgUnknownValue}. */
    private static final java.util.Set<Integer> SCALARS = java.util.Set.of(PgType.BOOL, PgType.INT2, PgType.INT4,
            PgType.INT8, PgType.XID8, PgType.PG_LSN, PgType.OID, PgType.XID, PgType.CID, PgType.FLOAT4, PgType.FLOAT8,
            PgType.NUMERIC, PgType.MONEY, PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.NAME, PgType.JSON,
            PgType.XML, PgType.JSONB, PgType.JSONPATH, PgType.CHAR, PgType.BYTEA, PgType.UUID, PgType.DATE, PgType.TIME,
            PgType.TIMETZ, PgType.TIMESTAMP, PgType.TIMESTAMPTZ, PgType.INTERVAL, PgType.INET, PgType.CIDR,
            PgType.MACADDR, PgType.MACADDR8, PgType.BIT, PgType.VARBIT, PgType.POINT, PgType.LINE, PgType.LSEG,
            PgType.BOX, PgType.CIRCLE, PgType.PATH, PgType.POLYGON, PgType.TSVECTOR, PgType.TSQUERY);

    /** Whether every part of {@code type} has a binary conversion (so its send form reads like its text). */
    static boolean converts(ValueType type) {
        return switch (type.kind()) {
            case SCALAR -> SCALARS.contains(type.scalarOid());
            case ARRAY, RANGE, MULTIRANGE -> converts(type.element());
            case COMPOSITE -> type.fieldTypes().stream().allMatch(BinaryValues::converts);
            case HSTORE -> true;
            case UNKNOWN -> false;
        };
    }

    static Object convert(ValueType type, byte[] b, int off, int len) {
        return switch (type.kind()) {
            case SCALAR -> scalar(type.scalarOid(), b, off, len);
            case ARRAY -> StructuredBinary.array(type.element(), b, off, len);
            case COMPOSITE -> StructuredBinary.composite(type, b, off, len);
            case RANGE -> StructuredBinary.range(type.element(), b, off, len);
            case MULTIRANGE -> StructuredBinary.multirange(type.element(), b, off, len);
            case HSTORE -> StructuredBinary.hstore(b, off, len);
            case UNKNOWN -> new PgUnknownValue(type.name(), Arrays.copyOfRange(b, off, off + len));
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
            case PgType.NUMERIC -> NumericBinary.numeric(b, off, len);
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
            case PgType.BYTEA -> Arrays.copyOfRange(b, off, off + len);
            case PgType.UUID -> {
                need(len, 16);
                yield new UUID(int64(b, off), int64(b, off + 8));
            }
            case PgType.DATE -> {
                need(len, 4);
                yield TemporalBinary.date(int32(b, off));
            }
            case PgType.TIME -> {
                need(len, 8);
                yield TemporalBinary.time(int64(b, off));
            }
            case PgType.TIMETZ -> {
                need(len, 12);
                yield TemporalBinary.timeTz(b, off);
            }
            case PgType.TIMESTAMP -> {
                need(len, 8);
                yield TemporalBinary.timestamp(int64(b, off));
            }
            case PgType.TIMESTAMPTZ -> {
                need(len, 8);
                yield TemporalBinary.timestampTz(int64(b, off));
            }
            case PgType.INTERVAL -> {
                need(len, 16);
                yield new PgInterval(int32(b, off + 12), int32(b, off + 8), int64(b, off));
            }
            case PgType.INET, PgType.CIDR -> NetworkBinary.inet(b, off, len);
            case PgType.MACADDR -> NetworkBinary.mac(b, off, len, 6);
            case PgType.MACADDR8 -> NetworkBinary.mac(b, off, len, 8);
            case PgType.BIT, PgType.VARBIT -> bits(b, off, len);
            case PgType.POINT -> GeometryBinary.point(b, off, len);
            case PgType.LINE -> GeometryBinary.line(b, off, len);
            case PgType.LSEG -> GeometryBinary.lineSegment(b, off, len);
            case PgType.BOX -> GeometryBinary.box(b, off, len);
            case PgType.CIRCLE -> GeometryBinary.circle(b, off, len);
            case PgType.PATH -> GeometryBinary.path(b, off, len);
            case PgType.POLYGON -> GeometryBinary.polygon(b, off, len);
            case PgType.TSVECTOR -> TextSearchBinary.tsvector(b, off, len);
            case PgType.TSQUERY -> TextSearchBinary.tsquery(b, off, len);
            default -> new PgUnknownValue(String.valueOf(PgType.nameOf(oid)), Arrays.copyOfRange(b, off, off + len));
        };
    }

    /** A fixed-size value must be exactly its size: anything else is a malformed value, not a longer one. */
    static void need(int len, int expected) {
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
}
