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
    static TupleData read(MessageReader r) {
        int countAt = r.offset();
        int count = r.readUnsignedShort("tuple column count");
        // Every column takes at least its kind byte, so a count beyond the remaining bytes is known to be
        // bad before the three per-column arrays are allocated.
        if (count > r.remaining()) {
            throw r.errorAt(countAt, "tuple column count " + count + " exceeds the " + r.remaining()
                    + " remaining bytes");
        }
        if (count == 0) {
            return new TupleData(r.array(), NO_KINDS, NO_INTS, NO_INTS);
        }
        byte[] kinds = new byte[count];
        int[] offsets = new int[count];
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            int kindAt = r.offset();
            int kind = r.readUnsignedByte("tuple column kind");
            switch (kind) {
                case TupleData.TEXT, TupleData.BINARY -> {
                    int length = r.readLength("tuple value length");
                    offsets[i] = r.position();
                    lengths[i] = length;
                    r.skipChecked(length);
                }
                case TupleData.NULL, TupleData.UNCHANGED_TOAST -> { }
                default -> throw r.errorAt(kindAt, "unknown tuple column kind " + DecodeException.describeByte(kind)
                        + " in column " + i);
            }
            kinds[i] = (byte) kind;
        }
        return new TupleData(r.array(), kinds, offsets, lengths);
    }
}
