package dev.pgoutput.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testing.EncodedMessage;
import dev.pgoutput.testing.Mutator;
import dev.pgoutput.testing.PgOutputBytes;
import dev.pgoutput.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random inputs for the duel: mutations of the samples ({@link Mutator}: byte flips, extremes
 * written over the counts and lengths and anywhere else, cuts, insertions, odd bytes in names, …) and
 * randomly generated valid row messages with their own mutations. One duel per sample lives through all its rounds, so a mutated Stream Start or Stop that
 * one decoder accepts and the other does not would surface as a difference later.
 *
 * <p>A failure message carries the bytes; {@code -Dpgoutput.mutation.seed=N} replays a seed.
 */
class MutationDuelTest {

    private static final int ROUNDS_PER_SAMPLE = 4_000;
    private static final int GENERATED_MESSAGES = 3_000;
    private static final BufferShape[] INPUTS = BufferShape.values();

    private final long seed = Long.getLong("pgoutput.mutation.seed", 0x5EED_CAFEL);

    @Test
    void mutatedSamples() {
        SplittableRandom random = new SplittableRandom(seed);
        int failures = 0;
        int total = 0;
        for (Samples.Sample sample : Samples.all()) {
            Duel duel = Duel.preparedFor(sample);
            for (int round = 0; round < ROUNDS_PER_SAMPLE; round++) {
                byte[] mutated = Mutator.mutate(sample.encoded(), random);
                BufferShape input = INPUTS[random.nextInt(INPUTS.length)];
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
        Duel duel = Duel.ofSupported();
        for (int i = 0; i < GENERATED_MESSAGES; i++) {
            EncodedMessage valid = rowMessage(random);
            String context = "seed " + seed + " message " + i;
            Outcome outcome = duel.assertSameOutcome(valid.bytes(), INPUTS[random.nextInt(INPUTS.length)], 2L,
                    context);
            assertTrue(!outcome.failed(), () -> context + " should be valid: " + outcome);
            for (int m = 0; m < 5; m++) {
                duel.assertSameOutcome(Mutator.mutate(valid, random), INPUTS[random.nextInt(INPUTS.length)], 2L,
                        context);
            }
        }
    }

    /** A valid Insert, Update or Delete with random columns of every kind. */
    private static EncodedMessage rowMessage(SplittableRandom random) {
        int relid = random.nextInt();
        return switch (random.nextInt(5)) {
            case 0 -> PgOutputBytes.insert(relid).tuple(columns(random)).encoded();
            case 1 -> PgOutputBytes.update(relid).newTuple(columns(random)).encoded();
            case 2 -> PgOutputBytes.update(relid).oldKey(columns(random)).newTuple(columns(random)).encoded();
            case 3 -> PgOutputBytes.update(relid).oldRow(columns(random)).newTuple(columns(random)).encoded();
            default -> PgOutputBytes.delete(relid).int8(random.nextBoolean() ? 'K' : 'O').tuple(columns(random))
                    .encoded();
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
}
