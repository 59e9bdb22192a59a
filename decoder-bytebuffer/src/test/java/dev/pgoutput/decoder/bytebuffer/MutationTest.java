package dev.pgoutput.decoder.bytebuffer;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.spi.PgOutputDecoder;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid messages (byte flips, big-endian extremes written over length
 * fields, cuts, insertions): the decoder may succeed or throw {@link DecodeException}, nothing else.
 * A failure prints the seed and the bytes; set {@code -Dpgoutput.mutation.seed=N} to replay.
 */
class MutationTest {

    private static final int ROUNDS_PER_SAMPLE = 3_000;
    private static final int[] EXTREMES = {0, 1, -1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF, 0x8000, 0x7FFF};

    @Test
    void mutatedMessagesOnlyEverRaiseDecodeException() {
        long seed = Long.getLong("pgoutput.mutation.seed", 0x5EED_CAFEL);
        SplittableRandom random = new SplittableRandom(seed);
        List<Samples.Sample> samples = Samples.all();
        for (Samples.Sample sample : samples) {
            PgOutputDecoder decoder = sample.decoder();
            for (int round = 0; round < ROUNDS_PER_SAMPLE; round++) {
                byte[] mutated = mutate(sample.bytes(), random);
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

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && bytes.length > 0; i++) {
            switch (random.nextInt(4)) {
                case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                case 1 -> {
                    int at = random.nextInt(bytes.length);
                    int value = EXTREMES[random.nextInt(EXTREMES.length)];
                    for (int k = 0; k < 4 && at + k < bytes.length; k++) {
                        bytes[at + k] = (byte) (value >>> (24 - 8 * k));
                    }
                }
                case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                default -> {
                    int at = random.nextInt(bytes.length + 1);
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
            }
        }
        return bytes;
    }
}
