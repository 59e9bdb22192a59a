package dev.pgoutput.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * TupleData: the column values of one row, as a view over the message bytes.
 *
 * <p>Values are not copied or converted when a message is decoded: each column is a kind byte plus a
 * window ({@link #valueOffset(int)}, {@link #valueLength(int)}) into {@link #buffer()}. Conversion to Java
 * values happens later and only for the columns somebody reads, which keeps the hot path free of
 * per-column allocation. The buffer is shared with the message and must not be modified.
 *
 * <p>Two tuples are equal when they have the same kinds and the same value bytes, wherever those bytes
 * live; that is what lets the conformance suite compare decoders.
 */
public final class TupleData {

    /** Kind byte: NULL. */
    public static final byte NULL = 'n';
    /** Kind byte: an unchanged TOASTed value that the server did not send. */
    public static final byte UNCHANGED_TOAST = 'u';
    /** Kind byte: a value in text output form. */
    public static final byte TEXT = 't';
    /** Kind byte: a value in binary send form (protocol option {@code binary}, PG14+). */
    public static final byte BINARY = 'b';

    private final byte[] buffer;
    private final byte[] kinds;
    private final int[] offsets;
    private final int[] lengths;

    /**
     * Wraps decoded column windows. The arrays are taken over, not copied: decoders build them for this
     * tuple alone.
     *
     * @param buffer  the bytes the windows point into
     * @param kinds   one kind byte per column ({@link #NULL}, {@link #UNCHANGED_TOAST}, {@link #TEXT},
     *                {@link #BINARY})
     * @param offsets start of each column's value in {@code buffer} (ignored for NULL/unchanged)
     * @param lengths length of each column's value (0 for NULL/unchanged)
     */
    public TupleData(byte[] buffer, byte[] kinds, int[] offsets, int[] lengths) {
        if (kinds.length != offsets.length || kinds.length != lengths.length) {
            throw new IllegalArgumentException("kinds, offsets and lengths differ in length");
        }
        this.buffer = buffer;
        this.kinds = kinds;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /** The number of columns. */
    public int columnCount() {
        return kinds.length;
    }

    /** The kind byte of column {@code i}. */
    public byte kind(int i) {
        return kinds[i];
    }

    /** Whether column {@code i} is NULL. */
    public boolean isNull(int i) {
        return kinds[i] == NULL;
    }

    /** Whether column {@code i} is an unchanged TOASTed value that was not sent. */
    public boolean isUnchangedToast(int i) {
        return kinds[i] == UNCHANGED_TOAST;
    }

    /** Whether column {@code i} carries bytes (text or binary form). */
    public boolean hasValue(int i) {
        return kinds[i] == TEXT || kinds[i] == BINARY;
    }

    /** The buffer the value windows point into; shared, never modify it. */
    public byte[] buffer() {
        return buffer;
    }

    /** Start of column {@code i}'s value in {@link #buffer()}. */
    public int valueOffset(int i) {
        return offsets[i];
    }

    /** Length in bytes of column {@code i}'s value. */
    public int valueLength(int i) {
        return lengths[i];
    }

    /** A copy of column {@code i}'s value bytes, or {@code null} when it carries none. */
    public byte[] copyValue(int i) {
        return hasValue(i) ? Arrays.copyOfRange(buffer, offsets[i], offsets[i] + lengths[i]) : null;
    }

    /** Column {@code i}'s text-form value as a string, or {@code null} when it carries none. */
    public String text(int i) {
        return hasValue(i) ? new String(buffer, offsets[i], lengths[i], StandardCharsets.UTF_8) : null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TupleData t) || !Arrays.equals(kinds, t.kinds)) {
            return false;
        }
        for (int i = 0; i < kinds.length; i++) {
            if (lengths[i] != t.lengths[i] || !Arrays.equals(buffer, offsets[i], offsets[i] + lengths[i],
                    t.buffer, t.offsets[i], t.offsets[i] + t.lengths[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(kinds);
        for (int i = 0; i < kinds.length; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                h = 31 * h + buffer[offsets[i] + j];
            }
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TupleData[");
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            switch (kinds[i]) {
                case NULL -> sb.append("null");
                case UNCHANGED_TOAST -> sb.append("<unchanged-toast>");
                case BINARY -> sb.append("b:").append(lengths[i]).append(" bytes");
                default -> sb.append('\'').append(text(i)).append('\'');
            }
        }
        return sb.append(']').toString();
    }
}
