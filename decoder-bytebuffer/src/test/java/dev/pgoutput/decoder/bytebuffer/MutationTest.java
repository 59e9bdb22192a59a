package dev.pgoutput.decoder.bytebuffer;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.testing.Mutator;
import dev.pgoutput.testing.Samples;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid messages ({@link Mutator}: byte flips, big-endian extremes written
 * over length fields, cuts, insertions, …): the decoder may succeed or throw {@link DecodeException},
 * nothing else. A failure prints the seed and the bytes; set {@code -Dpgoutput.mutation.seed=N} to replay.
 */
class MutationTest {

    private static final int ROUNDS_PER_SAMPLE = 3_000;

    @Test
    void mutatedMessagesOnlyEverRaiseDecodeException() {
        long seed = Long.getLong("pgoutput.mutation.seed", 0x5EED_CAFEL);
        SplittableRandom random = new SplittableRandom(seed);
        List<Samples.Sample> samples = Samples.all();
        for (Samples.Sample sample : samples) {
            PgOutputDecoder decoder = MalformedInputTest.decoderFor(sample);
            for (int round = 0; round < ROUNDS_PER_SAMPLE; round++) {
                byte[] mutated = Mutator.mutate(sample.encoded(), random);
                try {
                    decoder.decode(ByteBuffer.wrap(mutated), 1L);
                } catch (DecodeException expected) {
                    // the only allowed failure
                } catch (RuntimeException | Error e) {
                    fail("seed " + seed + ", sample " + sample + ", round " + round + ", bytes "
                            + Arrays.toString(mutated) + ": " + e, e);
                }
            }
        }
    }
}
