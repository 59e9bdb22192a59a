package dev.pgoutput.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one fluent writer of pgoutput wire bytes for tests: hand-written messages in unit tests, and the
 * output of {@link PgOutputEncoder}. Written from the protocol tables (big-endian by hand) and sharing no
 * code with any decoder, since a shared helper could hide a shared bug.
 *
 * <pre>{@code
 * byte[] insert = PgOutputBytes.insert(16384).tuple(t("1"), n(), u()).bytes();
 * byte[] update = PgOutputBytes.update(16384).oldKey(t("1")).newTuple(t("2"), t("x")).bytes();
 * byte[] streamed = PgOutputBytes.message('I').int32(777).int32(16384).int8('N').tuple(t("1")).bytes();
 * }</pre>
 *
 * <p>It also remembers where it wrote counts and lengths ({@link #count16}, {@link #count32}, and the
 * ones {@link #tuple} and {@link #relation} write). Those are the fields a decoder sizes allocations and
 * loops from, so {@link Mutator} overwrites them with extremes on purpose instead of waiting for a random
 * flip to land there.
 */
public final class PgOutputBytes {

    /** One TupleData column as it appears on the wire; {@code value} is null for {@code 'n'} and {@code 'u'}. */
    public record Column(int kind, byte[] value) {
    }

    private byte[] bytes = new byte[64];
    private int size;
    private int[] sizeFields = new int[8];
    private int[] sizeFieldWidths = new int[8];
    private int sizeFieldCount;

    private PgOutputBytes(int type) {
        int8(type);
    }

    /** Starts a message with the given type byte and nothing else. */
    public static PgOutputBytes message(int type) {
        return new PgOutputBytes(type);
    }

    /** Begin: final_lsn, commit_ts, xid. */
    public static PgOutputBytes begin(long finalLsn, long commitTs, int xid) {
        return message('B').int64(finalLsn).int64(commitTs).int32(xid);
    }

    /** Commit: flags, commit_lsn, end_lsn, commit_ts. */
    public static PgOutputBytes commit(int flags, long commitLsn, long endLsn, long commitTs) {
        return message('C').int8(flags).int64(commitLsn).int64(endLsn).int64(commitTs);
    }

    /** Insert outside a streamed block, up to and including the 'N' marker: follow with {@link #tuple}. */
    public static PgOutputBytes insert(int relationId) {
        return message('I').int32(relationId).int8('N');
    }

    /** Update outside a streamed block, up to the relid: follow with oldKey/oldRow and newTuple. */
    public static PgOutputBytes update(int relationId) {
        return message('U').int32(relationId);
    }

    /** Delete outside a streamed block, up to the relid: follow with oldKey or oldRow. */
    public static PgOutputBytes delete(int relationId) {
        return message('D').int32(relationId);
    }

    /** Relation header outside a streamed block; follow with {@link #column} per column. */
    public static PgOutputBytes relation(int relationId, String namespace, String name, int identity, int columnCount) {
        return message('R').int32(relationId).string(namespace).string(name).int8(identity).count16(columnCount);
    }

    /** Text value. */
    public static Column t(String text) {
        return new Column('t', text.getBytes(StandardCharsets.UTF_8));
    }

    /** Binary value. */
    public static Column b(int... bytes) {
        byte[] value = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            value[i] = (byte) bytes[i];
        }
        return new Column('b', value);
    }

    /** Text value with raw bytes (for example invalid UTF-8). */
    public static Column tRaw(byte[] value) {
        return new Column('t', value);
    }

    /** NULL. */
    public static Column n() {
        return new Column('n', null);
    }

    /** Unchanged TOAST value. */
    public static Column u() {
        return new Column('u', null);
    }

    public PgOutputBytes int8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    public PgOutputBytes int16(int v) {
        ensure(2);
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
        return this;
    }

    public PgOutputBytes int32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    public PgOutputBytes int64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    /** An Int16 count that a decoder will trust (column counts). */
    public PgOutputBytes count16(int v) {
        markSizeField(2);
        return int16(v);
    }

    /** An Int32 count or length that a decoder will trust (value lengths, nrels, content length). */
    public PgOutputBytes count32(int v) {
        markSizeField(4);
        return int32(v);
    }

    /** A NUL-terminated UTF-8 string, as pgoutput writes names. */
    public PgOutputBytes string(String s) {
        return raw(s.getBytes(StandardCharsets.UTF_8)).int8(0);
    }

    public PgOutputBytes raw(byte... src) {
        return raw(src, 0, src.length);
    }

    /** {@code length} bytes of {@code src} from {@code offset}. */
    public PgOutputBytes raw(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
        return this;
    }

    /** One Relation column: flags, name, type OID, typmod. */
    public PgOutputBytes column(int flags, String name, int typeOid, int typeModifier) {
        return int8(flags).string(name).int32(typeOid).int32(typeModifier);
    }

    /** TupleData: Int16 column count, then each column. */
    public PgOutputBytes tuple(Column... columns) {
        count16(columns.length);
        for (Column c : columns) {
            int8(c.kind());
            if (c.value() != null) {
                count32(c.value().length).raw(c.value());
            }
        }
        return this;
    }

    /** 'K' and an old-key tuple. */
    public PgOutputBytes oldKey(Column... columns) {
        return int8('K').tuple(columns);
    }

    /** 'O' and an old-row tuple. */
    public PgOutputBytes oldRow(Column... columns) {
        return int8('O').tuple(columns);
    }

    /** 'N' and a new tuple. */
    public PgOutputBytes newTuple(Column... columns) {
        return int8('N').tuple(columns);
    }

    /** The message so far. */
    public byte[] bytes() {
        return Arrays.copyOf(bytes, size);
    }

    /** The bytes in a heap buffer of exactly their length. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes());
    }

    /** The message so far with the places of its counts and lengths. */
    public EncodedMessage encoded() {
        return new EncodedMessage(bytes(), Arrays.copyOf(sizeFields, sizeFieldCount),
                Arrays.copyOf(sizeFieldWidths, sizeFieldCount));
    }

    private void markSizeField(int width) {
        if (sizeFieldCount == sizeFields.length) {
            sizeFields = Arrays.copyOf(sizeFields, sizeFieldCount * 2);
            sizeFieldWidths = Arrays.copyOf(sizeFieldWidths, sizeFieldCount * 2);
        }
        sizeFields[sizeFieldCount] = size;
        sizeFieldWidths[sizeFieldCount++] = width;
    }

    private void ensure(int n) {
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }
    }
}
