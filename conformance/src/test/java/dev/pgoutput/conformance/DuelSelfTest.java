package dev.pgoutput.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.MessageSequenceDecoder;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.testing.Samples;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The duel must be able to fail: a decoder that differs from a real one only in an error offset, or only
 * in one field of one message type, is caught within the default case count; one that differs only in
 * the wording of an error is caught on the first cut sample.
 */
class DuelSelfTest {

    private static final DecoderProvider REAL = Decoders.supported().getFirst();

    @Test
    void anErrorOffsetOffByOneIsCaught() {
        DecoderProvider skewed = wrap(REAL, "offset-skewed", m -> m, e ->
                new DecodeException(e.lsn(), e.messageType(), e.offset() + 1, "x"));
        assertCaught(skewed);
    }

    @Test
    void aWrongFieldInOneMessageTypeIsCaught() {
        DecoderProvider skewed = wrap(REAL, "begin-skewed", m -> m instanceof Begin b
                ? new Begin(b.finalLsn(), b.commitTimestamp(), b.xid() + 1) : m, e -> e);
        assertCaught(skewed);
    }

    @Test
    void aSampleDuelCatchesAnErrorMessageThatDiffers() {
        DecoderProvider skewed = wrap(REAL, "message-skewed", m -> m, e ->
                new DecodeException(e.lsn(), e.messageType(), e.offset(), e.getMessage() + "!"));
        Samples.Sample begin = Samples.all().get(0);
        Duel duel = new Duel(List.of(REAL, skewed));
        AssertionError e = assertThrows(AssertionError.class, () -> duel.assertSameOutcome(
                Arrays.copyOf(begin.bytes(), 5), BufferShape.EXACT, 1L, "cut Begin"));
        assertTrue(e.getMessage().contains("decoders disagree on cut Begin"), e.getMessage());
    }

    private static void assertCaught(DecoderProvider skewed) {
        AssertionError e = assertThrows(AssertionError.class, () -> {
            SplittableRandom random = new SplittableRandom(99);
            for (int i = 0; i < 3_000; i++) {
                ConformanceProperties.decodersAgree(REAL, skewed, random, ConformanceProperties.DEFAULT_UNITS);
            }
        });
        assertTrue(e.getMessage().contains("decoders disagree"), e.getMessage());
    }

    private static DecoderProvider wrap(DecoderProvider real, String name,
                                        java.util.function.UnaryOperator<PgOutputMessage> onMessage,
                                        java.util.function.UnaryOperator<DecodeException> onError) {
        return new DecoderProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public boolean isSupported() {
                return true;
            }

            @Override
            public String artifactId() {
                return "none";
            }

            @Override
            public PgOutputDecoder create() {
                PgOutputDecoder inner = new MessageSequenceDecoder(real.create());
                return (buffer, lsn, inStreamBlock) -> {
                    try {
                        return onMessage.apply(inner.decode(buffer, lsn, inStreamBlock));
                    } catch (DecodeException e) {
                        throw onError.apply(e);
                    }
                };
            }
        };
    }
}
