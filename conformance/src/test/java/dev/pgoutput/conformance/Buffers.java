package dev.pgoutput.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * The ways a caller can hand the same message bytes to a decoder. Decoders must give the same result
 * for all of them: a window in the middle of a larger array (non-zero position, limit short of the
 * capacity, random bytes around it, so over-reads see garbage), a slice with a non-zero array offset,
 * a direct buffer, a read-only buffer, and a buffer whose byte order was set to little-endian (the
 * wire is big-endian whatever the caller set).
 */
final class Buffers {

    private Buffers() {
    }

    /** The bytes exactly, in a heap buffer of their own length: an over-read fails at once. */
    static ByteBuffer exact(byte[] bytes) {
        return ByteBuffer.wrap(bytes.clone());
    }

    /** The bytes in one of the shapes above, picked at random. */
    static ByteBuffer anyShape(byte[] bytes, SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> exact(bytes);
            case 1 -> window(bytes, random);
            case 2 -> window(bytes, random).slice();
            case 3 -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            case 4 -> exact(bytes).asReadOnlyBuffer();
            default -> window(bytes, random).order(ByteOrder.LITTLE_ENDIAN);
        };
    }

    private static ByteBuffer window(byte[] bytes, SplittableRandom random) {
        int before = random.nextInt(16);
        int after = random.nextInt(16);
        byte[] big = new byte[before + bytes.length + after];
        random.nextBytes(big);
        System.arraycopy(bytes, 0, big, before, bytes.length);
        return ByteBuffer.wrap(big, before, bytes.length);
    }
}
