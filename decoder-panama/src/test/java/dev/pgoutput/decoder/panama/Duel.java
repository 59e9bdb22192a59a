package dev.pgoutput.decoder.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.testing.Samples;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.spi.MessageSequenceDecoder;
import dev.pgoutput.spi.PgOutputDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A reference (bytebuffer) and a panama decoder fed the same inputs in lockstep, so that a difference in
 * their streamed-block state also shows up in later outcomes.
 *
 * <p>An outcome is either the decoded message (compared with {@code equals}, which compares tuple values
 * by their bytes wherever they live) or the failure: exception class, LSN, type byte, offset and message.
 * Anything but a {@link DecodeException} fails the test outright.
 */
final class Duel {

    /** How the message bytes are handed to the decoders. */
    enum Input {
        /** A heap buffer of exactly the message. */
        HEAP,
        /** A heap buffer in the middle of a larger array, with junk around it, little-endian order set. */
        HEAP_WINDOW,
        /** A direct buffer with junk before and after position..limit. */
        DIRECT,
        /** A read-only view of a heap buffer (no accessible array). */
        READ_ONLY;

        ByteBuffer wrap(byte[] bytes) {
            switch (this) {
                case HEAP:
                    return ByteBuffer.wrap(bytes);
                case HEAP_WINDOW: {
                    byte[] backing = new byte[bytes.length + 11];
                    Arrays.fill(backing, (byte) 0x7E);
                    System.arraycopy(bytes, 0, backing, 5, bytes.length);
                    return ByteBuffer.wrap(backing, 2, bytes.length + 6).slice().position(3)
                            .limit(3 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
                }
                case DIRECT: {
                    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 8);
                    direct.put(new byte[] {0x7E, 0x7E, 0x7E}).put(bytes).put(new byte[] {0x7E, 0x7E, 0x7E});
                    return direct.position(3).limit(3 + bytes.length);
                }
                default:
                    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
            }
        }
    }

    /** What one decode call produced. */
    record Outcome(PgOutputMessage message, String failureClass, long lsn, int type, int offset, String detail) {

        static Outcome of(PgOutputDecoder decoder, ByteBuffer buffer, long lsn, String context) {
            int position = buffer.position();
            int limit = buffer.limit();
            Outcome outcome;
            try {
                outcome = new Outcome(decoder.decode(buffer, lsn), null, 0, 0, 0, null);
            } catch (DecodeException e) {
                outcome = new Outcome(null, e.getClass().getName(), e.lsn(), e.messageType(), e.offset(),
                        e.getMessage());
            } catch (RuntimeException | Error e) {
                throw new AssertionError(context + ": " + decoder.getClass().getSimpleName() + " threw " + e, e);
            }
            assertEquals(position, buffer.position(), () -> context + ": position moved");
            assertEquals(limit, buffer.limit(), () -> context + ": limit moved");
            return outcome;
        }

        boolean failed() {
            return failureClass != null;
        }
    }

    private final PgOutputDecoder reference = new MessageSequenceDecoder(Decoders.reference().create());
    private final PgOutputDecoder panama = new MessageSequenceDecoder(Decoders.panama().create());

    /** Both decoders in the state {@code sample} needs: inside a streamed block when it is a streamed one. */
    static Duel preparedFor(Samples.Sample sample) {
        Duel duel = new Duel();
        if (sample.streamed()) {
            duel.assertSameOutcome(Samples.streamStart(), Input.HEAP);
        }
        return duel;
    }

    /** Decodes {@code bytes} with both decoders and asserts the outcomes are equal; returns the outcome. */
    Outcome assertSameOutcome(byte[] bytes, Input input) {
        return assertSameOutcome(bytes, input, 0x0000_0001_6B37_48A0L, "");
    }

    Outcome assertSameOutcome(byte[] bytes, Input input, long lsn, String context) {
        String where = context + " [" + input + "] bytes " + Arrays.toString(bytes);
        Outcome expected = Outcome.of(reference, input.wrap(bytes), lsn, where);
        Outcome actual = Outcome.of(panama, input.wrap(bytes), lsn, where);
        if (!expected.equals(actual)) {
            fail(where + "\n  bytebuffer: " + expected + "\n  panama:     " + actual);
        }
        return expected;
    }
}
