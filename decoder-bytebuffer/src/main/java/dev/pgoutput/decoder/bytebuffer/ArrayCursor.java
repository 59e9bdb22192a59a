package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.spi.DecodeFailures;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over one message: the window {@code array[start, end)}.
 *
 * <p>Every read checks the remaining length first and reports a shortfall as a {@link DecodeException}
 * carrying the LSN, the type byte and the offset (relative to the message's first byte) where the read
 * began, so that no read can ever fail with an {@link IndexOutOfBoundsException}.
 *
 * <p>Why {@link VarHandle}s over the byte array instead of {@link ByteBuffer} absolute gets: the
 * {@link dev.pgoutput.protocol.TupleData} model needs a {@code byte[]} anyway (the caller's backing array,
 * or a copy for direct and read-only buffers), so after that one step every message is an array window.
 * Reading the caller's {@code ByteBuffer} directly would also honour whatever {@link ByteOrder} the
 * caller had set on it, and fixing that needs a {@code duplicate()} per message. Byte-array view
 * VarHandles are fixed to big-endian, allocation-free, intrinsified by C2 on Java 17, and do the same
 * unaligned loads that {@code ByteBuffer.getInt} compiles to.
 *
 * <p>One instance is reused for every message of a decoder ({@link #reset}), so decoding allocates no
 * cursor; like the decoder it is not thread-safe.
 */
final class ArrayCursor {

    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Strict UTF-8 for names (schema, table, column, type, origin, prefix, gid): a malformed name is a
     * malformed message. Replacing bad bytes with U+FFFD instead could make two different tables look
     * alike. Reused per cursor; only non-ASCII names reach it.
     */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private byte[] array;
    private int start;
    private int end;
    private int pos;
    private long lsn;
    private int type;

    /** Points the cursor at a new message; the type byte is read by {@link #readType()}. */
    void reset(byte[] array, int start, int end, long lsn) {
        this.array = array;
        this.start = start;
        this.end = end;
        this.pos = start;
        this.lsn = lsn;
        this.type = -1;
    }

    /** Reads the message type byte. The caller guarantees the message is not empty. */
    int readType() {
        type = array[pos++] & 0xFF;
        return type;
    }

    /** The array the window lies in; tuple values are views into it. */
    byte[] array() {
        return array;
    }

    /** The current offset relative to the first byte of the message (the type byte is offset 0). */
    int offset() {
        return pos - start;
    }

    /** The absolute index of the cursor in {@link #array()}. */
    int arrayIndex() {
        return pos;
    }

    /** The number of unread bytes. */
    int remaining() {
        return end - pos;
    }

    /** Reads an Int8 as an unsigned value 0..255. */
    int readUnsignedByte(String field) {
        require(1, field);
        return array[pos++] & 0xFF;
    }

    /** Reads an Int16 as an unsigned value 0..65535, the way the server's own reader treats counts. */
    int readUnsignedShort(String field) {
        require(2, field);
        int value = Short.toUnsignedInt((short) INT16.get(array, pos));
        pos += 2;
        return value;
    }

    /** Reads an Int32. */
    int readInt(String field) {
        require(4, field);
        int value = (int) INT32.get(array, pos);
        pos += 4;
        return value;
    }

    /** Reads an Int64. */
    long readLong(String field) {
        require(8, field);
        long value = (long) INT64.get(array, pos);
        pos += 8;
        return value;
    }

    /**
     * Reads an Int32 length and checks it against the remaining bytes, before anything is allocated
     * for it.
     *
     * @return the length, {@code 0 <= length <= remaining()}
     */
    int readLength(String field) {
        int at = offset();
        int length = readInt(field);
        if (length < 0) {
            throw errorAt(at, DecodeFailures.negativeLength(field, length));
        }
        if (length > remaining()) {
            throw errorAt(at, DecodeFailures.lengthExceedsRemaining(field, length, remaining()));
        }
        return length;
    }

    /** Moves past {@code length} bytes that {@link #readLength} has already checked. */
    void skipChecked(int length) {
        pos += length;
    }

    /** Copies {@code length} bytes that {@link #readLength} has already checked. */
    byte[] copyChecked(int length) {
        byte[] copy = new byte[length];
        System.arraycopy(array, pos, copy, 0, length);
        pos += length;
        return copy;
    }

    /** Reads a NUL-terminated UTF-8 string. */
    String readString(String field) {
        int at = pos;
        boolean ascii = true;
        int nul = at;
        while (nul < end) {
            byte b = array[nul];
            if (b == 0) {
                break;
            }
            ascii &= b > 0;
            nul++;
        }
        if (nul == end) {
            throw error(DecodeFailures.noNulTerminator(field, remaining()));
        }
        int length = nul - at;
        String value = ascii ? new String(array, at, length, StandardCharsets.US_ASCII) : decodeUtf8(at, length, field);
        pos = nul + 1;
        return value;
    }

    private String decodeUtf8(int at, int length, String field) {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(array, at, length)).toString();
        } catch (CharacterCodingException e) {
            throw error(DecodeFailures.invalidUtf8(field));
        }
    }

    /** Fails unless every byte of the message has been read. */
    void requireEnd() {
        if (pos != end) {
            throw error(DecodeFailures.trailingBytes(end - pos));
        }
    }

    /** A decode failure at the current offset. */
    DecodeException error(String detail) {
        return errorAt(offset(), detail);
    }

    /** A decode failure at the given offset relative to the message start. */
    DecodeException errorAt(int offset, String detail) {
        return new DecodeException(lsn, type, offset, detail);
    }

    private void require(int bytes, String field) {
        if (end - pos < bytes) {
            throw error(DecodeFailures.truncated(field, bytes, end - pos));
        }
    }
}
