package dev.pgoutput.decoder.panama;

import dev.pgoutput.testing.Samples;

import dev.pgoutput.testing.PgOutputBytes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random inputs for the duel: mutations of the samples (byte flips, big-endian extremes written
 * over any four bytes, cuts, insertions) and randomly generated valid row messages with their own
 * mutations. One duel per sample lives through all its rounds, so a mutated Stream Start or Stop that
 * one decoder accepts and the other does not would surface as a difference later.
 *
 * <p>A failure message carries the bytes; {@code -Dpgoutput.mutation.seed=N} replays a seed.
 */
class MutationDuelTest {

    private static final int ROUNDS_PER_SAMPLE = 4_000;
    private static final int GENERATED_MESSAGES = 3_000;
    private static final int[] EXTREMES = {0, 1, -1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF, 0x8000, 0x7FFF};
    private static final Duel.Input[] INPUTS = Duel.Input.values();

    private final long seed = Long.getLong("pgoutput.mutation.seed", 0x5EED_CAFEL);

    @Test
    void mutatedSamples() {
        SplittableRandom random = new SplittableRandom(seed);
        int failures = 0;
        int total = 0;
        for (Samples.Sample sample : Samples.all()) {
            Duel duel = Duel.preparedFor(sample);
            for (int round = 0; round < ROUNDS_PER_SAMPLE; round++) {
                byte[] mutated = mutate(sample.bytes(), random);
                Duel.Input input = INPUTS[random.nextInt(INPUTS.length)];
                if (duel.assertSameOutcome(mutated, input, 1L, "seed " + seed + " " + sample + " round " + round)
                        .failed()) {
                    failures++;
                }
                total++;
            }
        }
        assertTrue(failures > total / 10 && failures < total, "mutations should mostly but not always fail: "
                + failures + " of " + total);
    }

    @Test
    void generatedRowMessagesAndTheirMutations() {
        SplittableRandom random = new SplittableRandom(seed ^ 0x9E37_79B9_7F4A_7C15L);
        Duel duel = new Duel();
        for (int i = 0; i < GENERATED_MESSAGES; i++) {
            byte[] valid = rowMessage(random);
            String context = "seed " + seed + " message " + i;
            Duel.Outcome outcome = duel.assertSameOutcome(valid, INPUTS[random.nextInt(INPUTS.length)], 2L, context);
            assertTrue(!outcome.failed(), () -> context + " should be valid: " + outcome);
            for (int m = 0; m < 5; m++) {
                duel.assertSameOutcome(mutate(valid, random), INPUTS[random.nextInt(INPUTS.length)], 2L, context);
            }
        }
    }

    /** A valid Insert, Update or Delete with random columns of every kind. */
    private static byte[] rowMessage(SplittableRandom random) {
        int relid = random.nextInt();
        return switch (random.nextInt(5)) {
            case 0 -> PgOutputBytes.insert(relid).tuple(columns(random)).bytes();
            case 1 -> PgOutputBytes.update(relid).newTuple(columns(random)).bytes();
            case 2 -> PgOutputBytes.update(relid).oldKey(columns(random)).newTuple(columns(random)).bytes();
            case 3 -> PgOutputBytes.update(relid).oldRow(columns(random)).newTuple(columns(random)).bytes();
            default -> PgOutputBytes.delete(relid).int8(random.nextBoolean() ? 'K' : 'O').tuple(columns(random))
                    .bytes();
        };
    }

    private static PgOutputBytes.Column[] columns(SplittableRandom random) {
        int count = random.nextInt(12);
        List<PgOutputBytes.Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            columns.add(switch (random.nextInt(4)) {
                case 0 -> PgOutputBytes.n();
                case 1 -> PgOutputBytes.u();
                case 2 -> PgOutputBytes.t(Long.toString(random.nextLong(), 36).repeat(random.nextInt(4)));
                default -> {
                    byte[] value = new byte[random.nextInt(20)];
                    random.nextBytes(value);
                    yield new PgOutputBytes.Column(random.nextBoolean() ? 'b' : 't', value);
                }
            });
        }
        return columns.toArray(PgOutputBytes.Column[]::new);
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && bytes.length > 0; i++) {
            switch (random.nextInt(5)) {
                case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                case 1 -> {
                    int at = random.nextInt(bytes.length);
                    int value = EXTREMES[random.nextInt(EXTREMES.length)];
                    for (int k = 0; k < 4 && at + k < bytes.length; k++) {
                        bytes[at + k] = (byte) (value >>> (24 - 8 * k));
                    }
                }
                case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 3 -> {
                    // non-ASCII or NUL into names
                    byte[] odd = random.nextBoolean() ? "é".getBytes(StandardCharsets.UTF_8) : new byte[] {0};
                    bytes[random.nextInt(bytes.length)] = odd[random.nextInt(odd.length)];
                }
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
