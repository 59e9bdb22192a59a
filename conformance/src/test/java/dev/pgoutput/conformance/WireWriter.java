package dev.pgoutput.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Big-endian writer for pgoutput wire bytes, written from the protocol tables and sharing no code with
 * any decoder (a shared helper could hide a shared bug).
 *
 * <p>It also remembers where it wrote lengths and counts. Those are the fields a decoder sizes
 * allocations and loops from, so the mutation properties overwrite them with extremes on purpose
 * instead of waiting for a random flip to land there.
 */
final class WireWriter {

    private byte[] bytes = new byte[64];
    private int size;
    private int[] sizeFields = new int[8];
    private int[] sizeFieldWidths = new int[8];
    private int sizeFieldCount;

    void int8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
    }

    void int16(int v) {
        ensure(2);
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
    }

    void int32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (v >>> shift);
        }
    }

    void int64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (v >>> shift);
        }
    }

    /** An Int16 count that a decoder will trust (column counts). */
    void count16(int v) {
        markSizeField(2);
        int16(v);
    }

    /** An Int32 count or length that a decoder will trust (value lengths, nrels, content length). */
    void count32(int v) {
        markSizeField(4);
        int32(v);
    }

    /** A NUL-terminated UTF-8 string, as pgoutput writes names. */
    void string(String s) {
        raw(s.getBytes(StandardCharsets.UTF_8), 0, -1);
        int8(0);
    }

    /** {@code length} bytes of {@code src} from {@code offset}; a negative length means all of it. */
    void raw(byte[] src, int offset, int length) {
        int n = length < 0 ? src.length : length;
        ensure(n);
        System.arraycopy(src, offset, bytes, size, n);
        size += n;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Offsets of the count and length fields written so far. */
    int[] sizeFieldOffsets() {
        return Arrays.copyOf(sizeFields, sizeFieldCount);
    }

    /** Widths (2 or 4) of the fields in {@link #sizeFieldOffsets()}, index for index. */
    int[] sizeFieldWidths() {
        return Arrays.copyOf(sizeFieldWidths, sizeFieldCount);
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
