package dev.pgoutput.conformance;

import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testing.PgOutputBytes;
import dev.pgoutput.testing.Samples;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Truncated, oversized, unknown and malformed input: both decoders fail with the same exception class,
 * offset and message (or, where a cut leaves a valid message, succeed alike). Between failures each
 * sample is decoded whole again, so a failure that damaged a decoder's state would show.
 */
class MalformedDuelTest {

    private static final long LSN = 0xABCD_0000_1234L;

    static Stream<Samples.Sample> samples() {
        return Samples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyCutPoint(Samples.Sample sample) {
        for (BufferShape input : BufferShape.values()) {
            Duel duel = Duel.preparedFor(sample);
            for (int cut = 0; cut < sample.bytes().length; cut++) {
                duel.assertSameOutcome(Arrays.copyOf(sample.bytes(), cut), input, LSN, sample + " cut at " + cut);
                if (!sample.name().contains("Stream Stop") && !sample.name().equals("Stream Start")) {
                    duel.assertSameOutcome(sample.bytes(), input, LSN, sample + " whole after cut " + cut);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void trailingJunk(Samples.Sample sample) {
        for (int extra = 1; extra <= 17; extra++) {
            byte[] longer = Arrays.copyOf(sample.bytes(), sample.bytes().length + extra);
            Arrays.fill(longer, sample.bytes().length, longer.length, (byte) extra);
            for (BufferShape input : BufferShape.values()) {
                Outcome outcome = Duel.preparedFor(sample).assertSameOutcome(longer, input, LSN, sample + " +" + extra);
                boolean abortWithTail = sample.name().equals("Stream Abort v2") && extra == 16;
                assertEquals(!abortWithTail, outcome.failed(), outcome::toString);
            }
        }
    }

    @Test
    void emptyMessage() {
        for (BufferShape input : BufferShape.values()) {
            Outcome outcome = Duel.ofSupported().assertSameOutcome(new byte[0], input);
            assertEquals(-1, outcome.error().messageType());
        }
    }

    @Test
    void everyTypeByteWithEveryShortBody() {
        Duel duel = Duel.ofSupported();
        for (int type = 0; type < 256; type++) {
            for (int length = 1; length <= 40; length += 3) {
                byte[] bytes = new byte[length];
                bytes[0] = (byte) type;
                duel.assertSameOutcome(bytes, BufferShape.EXACT, LSN, "type " + type);
            }
        }
    }

    @Test
    void hugeAndNegativeLengthsAndCounts() {
        int[] values = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x8000_0000, 0x0001_0000, 2, 3, 100};
        Duel duel = Duel.ofSupported();
        for (int v : values) {
            for (int kind : new int[] {'t', 'b'}) {
                duel.assertSameOutcome(PgOutputBytes.insert(1).int16(1).int8(kind).int32(v).raw((byte) 'x').bytes(),
                        BufferShape.EXACT, LSN, "value length " + v);
            }
            duel.assertSameOutcome(PgOutputBytes.message('T').int32(v).int8(0).int32(1).bytes(),
                    BufferShape.EXACT, LSN, "nrels " + v);
            duel.assertSameOutcome(PgOutputBytes.message('M').int8(1).int64(1).string("p").int32(v)
                    .raw(new byte[8]).bytes(), BufferShape.DIRECT_WINDOW, LSN, "content length " + v);
            duel.assertSameOutcome(PgOutputBytes.message('T').int32(v).bytes(), BufferShape.EXACT, LSN, "nrels only");
        }
        for (int count : new int[] {0xFFFF, 0x8000, 2, 3}) {
            duel.assertSameOutcome(PgOutputBytes.insert(1).int16(count).int8('n').int8('n').bytes(),
                    BufferShape.EXACT, LSN, "tuple count " + count);
            duel.assertSameOutcome(PgOutputBytes.relation(1, "s", "t", 'd', count).column(0, "a", 23, -1).bytes(),
                    BufferShape.READ_ONLY, LSN, "relation count " + count);
        }
    }

    @Test
    void unknownKindsAndMarkers() {
        Duel duel = Duel.ofSupported();
        for (int b = 0; b < 256; b++) {
            duel.assertSameOutcome(PgOutputBytes.insert(1).int16(2).int8('n').int8(b).bytes(), BufferShape.EXACT);
            duel.assertSameOutcome(PgOutputBytes.message('I').int32(1).int8(b).tuple(t("1")).bytes(), BufferShape.EXACT);
            duel.assertSameOutcome(PgOutputBytes.update(1).int8(b).tuple(t("1")).bytes(), BufferShape.EXACT);
            duel.assertSameOutcome(PgOutputBytes.update(1).oldKey(n()).int8(b).tuple(n()).bytes(), BufferShape.EXACT);
            duel.assertSameOutcome(PgOutputBytes.delete(1).int8(b).tuple(t("1")).bytes(), BufferShape.EXACT);
        }
    }

    @Test
    void namesWithoutNulOrValidUtf8() {
        byte[][] invalid = {
            {(byte) 0xC3, 0x28},
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},
            {(byte) 0x80},
            {(byte) 0xFF},
        };
        Duel duel = Duel.ofSupported();
        for (byte[] name : invalid) {
            for (BufferShape input : BufferShape.values()) {
                Outcome o = duel.assertSameOutcome(PgOutputBytes.message('Y').int32(1).string("s").raw(name)
                        .int8(0).bytes(), input);
                assertTrue(o.error().getMessage().contains("UTF-8"), o::toString);
                duel.assertSameOutcome(PgOutputBytes.message('O').int64(1).raw(name).int8(0).bytes(), input);
                duel.assertSameOutcome(PgOutputBytes.relation(1, "s", "t", 'd', 1).int8(0).raw(name).int8(0)
                        .int32(23).int32(-1).bytes(), input);
                duel.assertSameOutcome(PgOutputBytes.message('b').int64(1).int64(2).int64(3).int32(4).raw(name)
                        .int8(0).bytes(), input);
            }
        }
        duel.assertSameOutcome(PgOutputBytes.message('O').int64(1).raw("origin".getBytes()).bytes(), BufferShape.EXACT);
        duel.assertSameOutcome(PgOutputBytes.message('O').int64(1).bytes(), BufferShape.EXACT);
    }

    @Test
    void streamAbortTails() {
        Duel duel = Duel.ofSupported();
        for (int extra = 0; extra <= 40; extra++) {
            duel.assertSameOutcome(PgOutputBytes.message('A').int32(1).int32(2).raw(new byte[extra]).bytes(),
                    BufferShape.EXACT);
        }
    }
}
