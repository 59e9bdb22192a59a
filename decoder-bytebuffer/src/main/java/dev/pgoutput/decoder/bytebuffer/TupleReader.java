package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.TupleData;

/**
 * Reads TupleData: Int16 column count, then per column a kind byte ({@code 'n'} NULL, {@code 'u'}
 * unchanged TOAST, {@code 't'} text, {@code 'b'} binary) and, for {@code 't'} and {@code 'b'}, an Int32
 * length and that many bytes.
 *
 * <p>Values are not copied: the result records each column's window in the message array. Value bytes
 * are not validated (a text value is only decoded when someone reads it).
 */
final class TupleReader {

    private static final byte[] NO_KINDS = new byte[0];
    private static final int[] NO_INTS = new int[0];

    private TupleReader() {
    }

    /** Reads one TupleData at the cursor. */
    static TupleData read(ArrayCursor c) {
        int countAt = c.offset();
        int count = c.readUnsignedShort("tuple column count");
        // Every column takes at least its kind byte, so a count beyond the remaining bytes is known to be
        // bad before the three per-column arrays are allocated.
        if (count > c.remaining()) {
            throw c.errorAt(countAt, "tuple column count " + count + " exceeds the " + c.remaining()
                    + " remaining bytes");
        }
        if (count == 0) {
            return new TupleData(c.array(), NO_KINDS, NO_INTS, NO_INTS);
        }
        byte[] kinds = new byte[count];
        int[] offsets = new int[count];
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            int kindAt = c.offset();
            int kind = c.readUnsignedByte("tuple column kind");
            switch (kind) {
                case TupleData.TEXT, TupleData.BINARY -> {
                    int length = c.readLength("tuple value length");
                    offsets[i] = c.arrayIndex();
                    lengths[i] = length;
                    c.skipChecked(length);
                }
                case TupleData.NULL, TupleData.UNCHANGED_TOAST -> { }
                default -> throw c.errorAt(kindAt, "unknown tuple column kind " + DecodeException.describeByte(kind)
                        + " in column " + i);
            }
            kinds[i] = (byte) kind;
        }
        return new TupleData(c.array(), kinds, offsets, lengths);
    }
}
