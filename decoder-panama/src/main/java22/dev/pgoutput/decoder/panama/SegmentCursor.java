package dev.pgoutput.decoder.panama;

import dev.pgoutput.api.DecodeException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one message: a heap {@link MemorySegment} that spans exactly the message, so the type
 * byte is offset 0 and the segment's end is the message's end.
 *
 * <p><b>Bounds.</b> Fixed-width reads (Int8, Int16, Int32, Int64) carry no explicit length check: the
 * segment checks every access against its own size, and since it is cut to the message, reading past the
 * message is exactly what the segment rejects. Two rules keep the reported offsets equal to the ByteBuffer
 * decoder's, which the conformance suite compares:
 * <ul>
 *   <li>every read starts at {@link #offset()} and the cursor moves only after the read succeeded, so when
 *       the segment throws, {@code offset()} is the start of the failed read;</li>
 *   <li>where the ByteBuffer decoder reports an error at a different place than the first byte that is
 *       missing (a length or count that points past the end, a string without its NUL, invalid UTF-8)
 *       the check is explicit here too, and it has to be anyway: a length must be checked before
 *       anything is allocated for it, and a string scan must stop at the end on its own.</li>
 * </ul>
 * The {@link IndexOutOfBoundsException} is turned into the {@link DecodeException} in the read method
 * itself, not further out: only the read knows the field and its width, which the message names exactly
 * as the ByteBuffer decoder does ("truncated: relid needs 4 bytes, 2 remain"). An exception handler
 * costs nothing while no exception is thrown, so this keeps the hot path as lean as one conversion at
 * the message boundary would ({@link PanamaDecoder} still has that one, as a safety net).
 *
 * <p><b>Why always a heap segment.</b> {@link dev.pgoutput.protocol.TupleData} holds its values as
 * windows into a {@code byte[]}, so a native segment has to be copied to a heap array once anyway; doing
 * it before decoding (not value by value) means the read methods only ever see one segment
 * implementation, which keeps them monomorphic for the JIT.
 *
 * <p>One cursor is reused for every message of a decoder; like the decoder it is not thread-safe.
 */
final class SegmentCursor {

    private static final ValueLayout.OfByte INT8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort INT16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong INT64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * Strict UTF-8 for names: a malformed name is a malformed message (the same rule as the ByteBuffer
     * decoder). Only non-ASCII names reach it.
     */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private MemorySegment segment;
    private byte[] array;
    private int base;
    private int size;
    private int pos;
    private long lsn;
    private int type;

    /**
     * Points the cursor at a new message: {@code length} bytes of {@code array} from {@code base}.
     * The type byte is read by {@link #readType()}.
     */
    void reset(byte[] array, int base, int length, long lsn) {
        this.segment = MemorySegment.ofArray(array).asSlice(base, length);
        this.array = array;
        this.base = base;
        this.size = length;
        this.pos = 0;
        this.lsn = lsn;
        this.type = -1;
    }

    /** Reads the message type byte; the caller has made sure the message is not empty. */
    int readType() {
        type = Byte.toUnsignedInt(segment.get(INT8, 0));
        pos = 1;
        return type;
    }

    /** The array the message lies in; tuple values are windows into it. */
    byte[] array() {
        return array;
    }

    /** The current offset from the message's first byte (the type byte is offset 0). */
    int offset() {
        return pos;
    }

    /** The index in {@link #array()} of the byte at the cursor. */
    int arrayIndex() {
        return base + pos;
    }

    /** The number of unread bytes. */
    int remaining() {
        return size - pos;
    }

    /** Reads an Int8 as 0..255. */
    int readUnsignedByte(String field) {
        try {
            int value = Byte.toUnsignedInt(segment.get(INT8, pos));
            pos += 1;
            return value;
        } catch (IndexOutOfBoundsException e) {
            throw truncated(field, 1);
        }
    }

    /** Reads an Int16 as 0..65535, the way the server's own reader treats counts. */
    int readUnsignedShort(String field) {
        try {
            int value = Short.toUnsignedInt(segment.get(INT16, pos));
            pos += 2;
            return value;
        } catch (IndexOutOfBoundsException e) {
            throw truncated(field, 2);
        }
    }

    /** Reads an Int32. */
    int readInt(String field) {
        try {
            int value = segment.get(INT32, pos);
            pos += 4;
            return value;
        } catch (IndexOutOfBoundsException e) {
            throw truncated(field, 4);
        }
    }

    /** Reads an Int64. */
    long readLong(String field) {
        try {
            long value = segment.get(INT64, pos);
            pos += 8;
            return value;
        } catch (IndexOutOfBoundsException e) {
            throw truncated(field, 8);
        }
    }

    /**
     * Reads an Int32 length and checks it against the remaining bytes before anything is allocated or
     * skipped for it; errors point at the length field.
     *
     * @return the length, {@code 0 <= length <= remaining()}
     */
    int readLength(String field) {
        int at = pos;
        int length = readInt(field);
        if (length < 0) {
            throw errorAt(at, field + " is negative (" + length + ")");
        }
        if (length > remaining()) {
            throw errorAt(at, field + " " + length + " exceeds the " + remaining() + " remaining bytes");
        }
        return length;
    }

    /** Moves past {@code length} bytes that {@link #readLength} has checked. */
    void skipChecked(int length) {
        pos += length;
    }

    /** Copies {@code length} bytes that {@link #readLength} has checked into a new array. */
    byte[] copyChecked(int length) {
        byte[] copy = segment.asSlice(pos, length).toArray(INT8);
        pos += length;
        return copy;
    }

    /**
     * Reads a NUL-terminated UTF-8 string. The scan is bounded by the message, so a missing NUL is an
     * error at the string's first byte, as in the ByteBuffer decoder.
     */
    String readString(String field) {
        int at = pos;
        int nul = at;
        boolean ascii = true;
        for (; nul < size; nul++) {
            byte b = segment.get(INT8, nul);
            if (b == 0) {
                break;
            }
            ascii &= b > 0;
        }
        if (nul == size) {
            throw error(field + " has no NUL terminator within the " + remaining() + " remaining bytes");
        }
        int length = nul - at;
        String value = ascii
                ? new String(array, base + at, length, StandardCharsets.US_ASCII)
                : decodeUtf8(base + at, length, field);
        pos = nul + 1;
        return value;
    }

    private String decodeUtf8(int index, int length, String field) {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(array, index, length)).toString();
        } catch (CharacterCodingException e) {
            throw error(field + " is not valid UTF-8");
        }
    }

    /** Fails unless every byte of the message has been read. */
    void requireEnd() {
        if (pos != size) {
            throw error((size - pos) + " trailing bytes after a complete message");
        }
    }

    /** A decode failure at the current offset. */
    DecodeException error(String detail) {
        return errorAt(pos, detail);
    }

    /** A decode failure at {@code offset} from the message start. */
    DecodeException errorAt(int offset, String detail) {
        return new DecodeException(lsn, type, offset, detail);
    }

    private DecodeException truncated(String field, int width) {
        return error("truncated: " + field + " needs " + width + " bytes, " + remaining() + " remain");
    }
}
