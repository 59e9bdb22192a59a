package dev.pgoutput.decoder.panama;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.TupleData;

/**
 * Reads TupleData: Int16 column count, then per column a kind byte ({@code 'n'} NULL, {@code 'u'}
 * unchanged TOAST, {@code 't'} text, {@code 'b'} binary) and, for {@code 't'} and {@code 'b'}, an Int32
 * length and that many bytes.
 *
 * <p>Values are neither copied nor validated: each column records its window in the message array, and a
 * text value is decoded only when somebody reads it.
 */
final class TupleReader {

    private static final byte[] NO_KINDS = new byte[0];
    private static final int[] NO_INTS = new int[0];

    private TupleReader() {
    }

    /** Reads one TupleData at the cursor. */
    static TupleData read(SegmentCursor c) {
        int countAt = c.offset();
        int count = c.readUnsignedShort("tuple column count");
        // Each column takes at least its kind byte: a larger count is known to be wrong before the three
        // per-column arrays are sized from it.
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
            if (kind == TupleData.TEXT || kind == TupleData.BINARY) {
                int length = c.readLength("tuple value length");
                offsets[i] = c.arrayIndex();
                lengths[i] = length;
                c.skipChecked(length);
            } else if (kind != TupleData.NULL && kind != TupleData.UNCHANGED_TOAST) {
                throw c.errorAt(kindAt, "unknown tuple column kind " + DecodeException.describeByte(kind)
                        + " in column " + i);
            }
            kinds[i] = (byte) kind;
        }
        return new TupleData(c.array(), kinds, offsets, lengths);
    }
}
