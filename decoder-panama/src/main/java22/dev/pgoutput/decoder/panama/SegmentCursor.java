package dev.pgoutput.decoder.panama;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.spi.DecodeFailures;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one message: {@code size} bytes from {@code base} of a heap {@link MemorySegment} that
 * spans the message's whole backing array. Offsets are relative to the message: the type byte is offset 0.
 *
 * <p><b>Why a segment per read, over the whole array.</b> Every read makes
 * {@code MemorySegment.ofArray(array)} on the spot and checks the message end itself. Two earlier shapes
 * were measured with JMH on the W1 corpus (bench/README.md) and a per-message allocation counter:
 * <ul>
 *   <li>a segment cut to the message ({@code ofArray(array).asSlice(base, length)}) kept in a field, so
 *       that the segment's own bounds check stood for the message end: 72 bytes more allocated per
 *       message than the ByteBuffer decoder (the field lets the segments escape) and 0.8 × its speed;</li>
 *   <li>a segment over the whole array kept in a field and replaced only when the array changes: the
 *       same 72 bytes, because transports (pgjdbc) hand over every message in a new array;</li>
 *   <li>this shape: the segment never escapes the read method, escape analysis removes it, and the
 *       allocation per message equals the ByteBuffer decoder's (128 bytes for a two-column Insert, both
 *       decoders); speed 0.93–1.0 × the ByteBuffer decoder, within JMH's error.</li>
 * </ul>
 * The explicit end check is one compare against a field; the segment's own check against the array
 * length stays and is what makes the access safe.
 *
 * <p><b>Same offsets as the ByteBuffer decoder</b>, which the conformance suite compares: every read
 * starts at {@link #offset()} and the cursor moves only after the read succeeded, so a failed read
 * reports its own start; where the ByteBuffer decoder reports an error somewhere else than the first
 * missing byte (a length or count that points past the end, a string without its NUL, invalid UTF-8)
 * the check is explicit here too, and it has to be anyway: a length must be checked before anything is
 * allocated for it, and a string scan must stop at the end on its own.
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
        this.array = array;
        this.base = base;
        this.size = length;
        this.pos = 0;
        this.lsn = lsn;
        this.type = -1;
    }

    /** Reads the message type byte; the caller has made sure the message is not empty. */
    int readType() {
        type = Byte.toUnsignedInt(MemorySegment.ofArray(array).get(INT8, base));
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
        if (size - pos < 1) {
            throw truncated(field, 1);
        }
        int value = Byte.toUnsignedInt(MemorySegment.ofArray(array).get(INT8, base + pos));
        pos += 1;
        return value;
    }

    /** Reads an Int16 as 0..65535, the way the server's own reader treats counts. */
    int readUnsignedShort(String field) {
        if (size - pos < 2) {
            throw truncated(field, 2);
        }
        int value = Short.toUnsignedInt(MemorySegment.ofArray(array).get(INT16, base + pos));
        pos += 2;
        return value;
    }

    /** Reads an Int32. */
    int readInt(String field) {
        if (size - pos < 4) {
            throw truncated(field, 4);
        }
        int value = MemorySegment.ofArray(array).get(INT32, base + pos);
        pos += 4;
        return value;
    }

    /** Reads an Int64. */
    long readLong(String field) {
        if (size - pos < 8) {
            throw truncated(field, 8);
        }
        long value = MemorySegment.ofArray(array).get(INT64, base + pos);
        pos += 8;
        return value;
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
            throw errorAt(at, DecodeFailures.negativeLength(field, length));
        }
        if (length > remaining()) {
            throw errorAt(at, DecodeFailures.lengthExceedsRemaining(field, length, remaining()));
        }
        return length;
    }

    /** Moves past {@code length} bytes that {@link #readLength} has checked. */
    void skipChecked(int length) {
        pos += length;
    }

    /** Copies {@code length} bytes that {@link #readLength} has checked into a new array. */
    byte[] copyChecked(int length) {
        byte[] copy = new byte[length];
        MemorySegment.copy(MemorySegment.ofArray(array), INT8, base + pos, copy, 0, length);
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
            byte b = MemorySegment.ofArray(array).get(INT8, base + nul);
            if (b == 0) {
                break;
            }
            ascii &= b > 0;
        }
        if (nul == size) {
            throw error(DecodeFailures.noNulTerminator(field, remaining()));
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
            throw error(DecodeFailures.invalidUtf8(field));
        }
    }

    /** Fails unless every byte of the message has been read. */
    void requireEnd() {
        if (pos != size) {
            throw error(DecodeFailures.trailingBytes(size - pos));
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
        return error(DecodeFailures.truncated(field, width, remaining()));
    }
}
