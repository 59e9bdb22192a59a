package dev.pgoutput.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * The ways a caller can hand the same message bytes to a decoder. Decoders must give the same result
 * for all of them. Where there are bytes around the message they are junk, so that an over-read sees
 * garbage; where there are none, an over-read by one byte fails at once.
 *
 * <pre>{@code
 * decoder.decode(BufferShape.DIRECT_WINDOW.wrap(bytes), lsn);
 * decoder.decode(BufferShape.any(bytes, random), lsn);
 * }</pre>
 */
enum BufferShape {
    /** A heap buffer of exactly the message, in an array of its own. */
    EXACT,
    /** In the middle of a larger array: position &gt; 0, limit short of the capacity. */
    WINDOW,
    /** A slice of a window: a non-zero array offset, then position 0 and limit = capacity = the message. */
    SLICE,
    /** A slice of a window with a position and limit of its own inside it, byte order set to little-endian. */
    SLICE_WINDOW,
    /** A direct buffer of exactly the message. */
    DIRECT,
    /** A direct buffer with junk before the position and after the limit. */
    DIRECT_WINDOW,
    /** A read-only view of an exact heap buffer: no accessible array. */
    READ_ONLY,
    /** A window whose byte order was set to little-endian: the wire is big-endian whatever the caller set. */
    LITTLE_ENDIAN;

    private static final BufferShape[] ALL = values();

    /** The bytes in this shape, with junk (where there is any) drawn from {@code junk}. */
    ByteBuffer wrap(byte[] bytes, SplittableRandom junk) {
        return switch (this) {
            case EXACT -> ByteBuffer.wrap(bytes.clone());
            case WINDOW -> window(bytes, junk);
            case SLICE -> window(bytes, junk).slice();
            case SLICE_WINDOW -> {
                int lead = 1 + junk.nextInt(8);
                int before = 1 + junk.nextInt(8);
                int after = 1 + junk.nextInt(8);
                byte[] big = new byte[lead + before + bytes.length + after];
                junk.nextBytes(big);
                System.arraycopy(bytes, 0, big, lead + before, bytes.length);
                ByteBuffer slice = ByteBuffer.wrap(big, lead, before + bytes.length + after).slice();
                yield slice.position(before).limit(before + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
            }
            case DIRECT -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            case DIRECT_WINDOW -> {
                byte[] before = new byte[1 + junk.nextInt(8)];
                byte[] after = new byte[1 + junk.nextInt(8)];
                junk.nextBytes(before);
                junk.nextBytes(after);
                ByteBuffer direct = ByteBuffer.allocateDirect(before.length + bytes.length + after.length);
                direct.put(before).put(bytes).put(after);
                yield direct.position(before.length).limit(before.length + bytes.length);
            }
            case READ_ONLY -> ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer();
            case LITTLE_ENDIAN -> window(bytes, junk).order(ByteOrder.LITTLE_ENDIAN);
        };
    }

    /** The bytes in this shape with junk that depends on the bytes only, for tests that name their shape. */
    ByteBuffer wrap(byte[] bytes) {
        return wrap(bytes, new SplittableRandom(bytes.length));
    }

    /** The bytes in a shape picked at random. */
    static ByteBuffer any(byte[] bytes, SplittableRandom random) {
        return ALL[random.nextInt(ALL.length)].wrap(bytes, random);
    }

    private static ByteBuffer window(byte[] bytes, SplittableRandom junk) {
        int before = junk.nextInt(16);
        int after = junk.nextInt(16);
        byte[] big = new byte[before + bytes.length + after];
        junk.nextBytes(big);
        System.arraycopy(bytes, 0, big, before, bytes.length);
        return ByteBuffer.wrap(big, before, bytes.length);
    }
}
