package dev.pgoutput.conformance;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.testing.PgOutputEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided differential fuzzing with Jazzer: bytes go to every decoder found; all must give the
 * same {@link Outcome} (equal message, or DecodeException with equal class, LSN, type, offset and
 * message), and nothing but DecodeException may be thrown. With a single decoder only the second half
 * holds, which still makes the target worth fuzzing.
 *
 * <p>In every build the files under {@code src/test/resources/dev/pgoutput/conformance/
 * DifferentialFuzzTestInputs/<method>/} run as regression tests. To fuzz (one target per run), see the
 * module's README.md.
 */
class DifferentialFuzzTest {

    /** Any LSN will do; a fixed one keeps findings reproducible from the input file alone. */
    private static final long LSN = 0x16B3748L;

    /**
     * The input is one message, decoded twice per decoder: by a fresh decoder, and by one inside a
     * streamed block (so the xid-prefixed layouts are reached from the same bytes).
     */
    @FuzzTest(maxDuration = "5m")
    void oneMessage(byte[] message) {
        byte[] streamStart = new PgOutputEncoder().encode(new StreamStart(500, true)).bytes();
        compare(List.of(message), List.of());
        compare(List.of(message), List.of(streamStart));
    }

    /**
     * The input is a sequence of messages, each framed by a big-endian Int16 length (a short last frame
     * takes what is left), fed in order to one decoder each: this is where stream-block state and
     * recovery after an error are dueled.
     */
    @FuzzTest(maxDuration = "5m")
    void messageSequence(byte[] framed) {
        compare(unframe(framed), List.of());
    }

    /** Splits Int16-length-framed messages; the inverse of what the seed files were written with. */
    static List<byte[]> unframe(byte[] framed) {
        List<byte[]> messages = new ArrayList<>();
        int at = 0;
        while (at + 2 <= framed.length && messages.size() < 64) {
            int length = Math.min(((framed[at] & 0xFF) << 8) | (framed[at + 1] & 0xFF), framed.length - at - 2);
            byte[] m = new byte[length];
            System.arraycopy(framed, at + 2, m, 0, length);
            messages.add(m);
            at += 2 + length;
        }
        return messages;
    }

    private static void compare(List<byte[]> messages, List<byte[]> prelude) {
        Duel duel = new Duel(Decoders.supported());
        for (byte[] m : prelude) {
            duel.assertSameOutcome(m, BufferShape.EXACT, LSN, "prelude");
        }
        for (int i = 0; i < messages.size(); i++) {
            // Exact-length heap buffers: an over-read by one byte fails instead of reading garbage.
            duel.assertSameOutcome(messages.get(i), BufferShape.EXACT, LSN, "message " + i);
        }
    }
}
