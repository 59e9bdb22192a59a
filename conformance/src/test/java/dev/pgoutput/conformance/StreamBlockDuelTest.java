package dev.pgoutput.conformance;

import static dev.pgoutput.testing.PgOutputBytes.t;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.protocol.Insert;
import dev.pgoutput.testing.PgOutputBytes;
import org.junit.jupiter.api.Test;

/**
 * Stream Start and Stream Stop, followed by each decoder's {@link dev.pgoutput.spi.MessageSequenceDecoder},
 * switch the xid on and off for both decoders alike, including when they are malformed (then the block
 * state must not change) and when they come out of order.
 */
class StreamBlockDuelTest {

    private static final byte[] START = PgOutputBytes.message('S').int32(77).int8(1).bytes();
    private static final byte[] STOP = PgOutputBytes.message('E').bytes();
    private static final byte[] SHORT_START = PgOutputBytes.message('S').int32(77).bytes();
    private static final byte[] LONG_START = PgOutputBytes.message('S').int32(77).int8(1).int8(0).bytes();
    private static final byte[] LONG_STOP = PgOutputBytes.message('E').int8(0).bytes();
    private static final byte[] PLAIN_INSERT = PgOutputBytes.insert(5).tuple(t("1")).bytes();
    private static final byte[] STREAMED_INSERT = PgOutputBytes.message('I').int32(77).int32(5).int8('N')
            .tuple(t("1")).bytes();
    private static final byte[] TRUNCATED_STREAMED_INSERT = PgOutputBytes.message('I').int32(77).bytes();

    @Test
    void everySequenceOfThreeStateChangingOrProbingMessages() {
        byte[][] alphabet = {START, STOP, SHORT_START, LONG_START, LONG_STOP, PLAIN_INSERT, STREAMED_INSERT,
            TRUNCATED_STREAMED_INSERT};
        int sequences = 0;
        for (byte[] a : alphabet) {
            for (byte[] b : alphabet) {
                for (byte[] c : alphabet) {
                    Duel duel = Duel.ofSupported();
                    for (BufferShape input : new BufferShape[] {BufferShape.EXACT, BufferShape.DIRECT_WINDOW}) {
                        duel.assertSameOutcome(a, input);
                        duel.assertSameOutcome(b, input);
                        duel.assertSameOutcome(c, input);
                        duel.assertSameOutcome(PLAIN_INSERT, input);
                        duel.assertSameOutcome(STREAMED_INSERT, input);
                    }
                    sequences++;
                }
            }
        }
        assertEquals(512, sequences);
    }

    @Test
    void xidIsReadOnlyInsideABlock() {
        Duel duel = Duel.ofSupported();
        duel.assertSameOutcome(START, BufferShape.EXACT);
        assertEquals(77, ((Insert) duel.assertSameOutcome(STREAMED_INSERT, BufferShape.EXACT).message()).xid());
        duel.assertSameOutcome(STOP, BufferShape.EXACT);
        assertEquals(0, ((Insert) duel.assertSameOutcome(PLAIN_INSERT, BufferShape.EXACT).message()).xid());
    }
}
