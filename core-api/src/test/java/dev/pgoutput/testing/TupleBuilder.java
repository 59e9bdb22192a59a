package dev.pgoutput.testing;

import dev.pgoutput.protocol.TupleData;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Builds a {@link TupleData} model value. The values are placed after a random-length run of filler
 * bytes in a shared buffer, so that equality in the properties can only hold if it compares content, not
 * offsets or buffer identity.
 */
public final class TupleBuilder {

    private final byte[] kinds;
    private final int[] offsets;
    private final int[] lengths;
    private byte[] buffer;
    private int size;
    private int column;

    public TupleBuilder(SplittableRandom random, int columns) {
        kinds = new byte[columns];
        offsets = new int[columns];
        lengths = new int[columns];
        size = random.nextInt(8);
        buffer = new byte[size + 16];
        random.nextBytes(buffer);
    }

    public TupleBuilder nullValue() {
        kinds[column++] = TupleData.NULL;
        return this;
    }

    public TupleBuilder unchangedToast() {
        kinds[column++] = TupleData.UNCHANGED_TOAST;
        return this;
    }

    /** A {@code 't'} or {@code 'b'} value. */
    public TupleBuilder value(byte kind, byte[] value) {
        if (size + value.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + value.length));
        }
        System.arraycopy(value, 0, buffer, size, value.length);
        kinds[column] = kind;
        offsets[column] = size;
        lengths[column++] = value.length;
        size += value.length;
        return this;
    }

    public TupleData build() {
        if (column != kinds.length) {
            throw new IllegalStateException(column + " of " + kinds.length + " columns set");
        }
        return new TupleData(buffer, kinds, offsets, lengths);
    }
}
