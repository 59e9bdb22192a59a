package dev.pgoutput.conformance;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.spi.PgOutputDecoder;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What one decode produced: a message or a {@link DecodeException}. Anything else a decoder throws, or
 * an allocation out of proportion to the input, is turned into an {@link AssertionError} right here,
 * because no input may ever cause it.
 *
 * <p>Two outcomes are the same when the messages are equal, or when the exceptions have the same class,
 * LSN, type byte, offset and message: callers see those, so every decoder must agree on them.
 */
record Outcome(PgOutputMessage message, DecodeException error) {

    /**
     * Fixed allowance plus a per-input-byte allowance for one decode. The fixed part covers one-time
     * class loading on a first decode (String.format, charset decoders); the proportional part covers
     * per-column model objects. A decoder that sizes an array from an unchecked length field of
     * 0x7fffffff blows through it long before it runs out of heap.
     */
    static final long ALLOCATION_ALLOWANCE_BYTES = 8L << 20;
    static final long ALLOCATION_PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Decodes and classifies; also checks that the buffer's position and limit were left alone. */
    static Outcome decode(String decoderName, PgOutputDecoder decoder, ByteBuffer buffer, long lsn) {
        int position = buffer.position();
        int limit = buffer.limit();
        int length = buffer.remaining();
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        Outcome outcome;
        try {
            outcome = new Outcome(decoder.decode(buffer, lsn), null);
        } catch (DecodeException e) {
            outcome = new Outcome(null, e);
        } catch (OutOfMemoryError e) {
            throw new AssertionError(decoderName + " ran out of memory on " + length + " input bytes", e);
        } catch (Throwable e) {
            throw new AssertionError(decoderName + " threw " + e.getClass().getName()
                    + " instead of DecodeException", e);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        if (allocated > ALLOCATION_ALLOWANCE_BYTES + ALLOCATION_PER_INPUT_BYTE * length) {
            // Loading (and, under Jazzer, instrumenting) a class on first use is charged to this thread.
            // That happens once, so decode the same bytes again and judge the second run. Decoding a
            // message twice leaves a decoder in the same state: S and E set the block state outright.
            allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            Outcome again;
            try {
                again = new Outcome(decoder.decode(buffer, lsn), null);
            } catch (DecodeException e) {
                again = new Outcome(null, e);
            }
            allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            if (allocated > ALLOCATION_ALLOWANCE_BYTES + ALLOCATION_PER_INPUT_BYTE * length) {
                throw new AssertionError(decoderName + " allocated " + allocated + " bytes to decode " + length
                        + " input bytes (" + outcome + ")");
            }
            if (!again.sameAs(outcome)) {
                throw new AssertionError(decoderName + " decoded the same bytes twice differently: " + outcome
                        + " then " + again);
            }
        }
        if (buffer.position() != position || buffer.limit() != limit) {
            throw new AssertionError(decoderName + " moved the buffer: position " + position + " -> "
                    + buffer.position() + ", limit " + limit + " -> " + buffer.limit());
        }
        if (outcome.message() == null && outcome.error() == null) {
            throw new AssertionError(decoderName + " returned null");
        }
        return outcome;
    }

    boolean failed() {
        return error != null;
    }

    /** Same message, or an exception a caller cannot tell apart. */
    boolean sameAs(Outcome other) {
        if (error == null || other.error == null) {
            return error == other.error && Objects.equals(message, other.message);
        }
        return error.getClass() == other.error.getClass()
                && error.lsn() == other.error.lsn()
                && error.messageType() == other.error.messageType()
                && error.offset() == other.error.offset()
                && Objects.equals(error.getMessage(), other.error.getMessage());
    }

    @Override
    public String toString() {
        return error != null
                ? error.getClass().getSimpleName() + "[offset " + error.offset() + ", type " + error.messageType()
                        + ", lsn " + error.lsn() + "]: " + error.getMessage()
                : String.valueOf(message);
    }
}
