package dev.pgoutput.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pgoutput.spi.DecoderProvider;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/** Turns a property into one JUnit dynamic test per decoder, or per pair of decoders. */
final class PerDecoder {

    /** A property over one decoder. */
    @FunctionalInterface
    interface Single {
        void run(DecoderProvider provider, SplittableRandom random);
    }

    /** A property over two decoders. */
    @FunctionalInterface
    interface Pair {
        void run(DecoderProvider a, DecoderProvider b, SplittableRandom random);
    }

    private PerDecoder() {
    }

    /**
     * One test per supported decoder; {@code -Dconformance.decoders=panama} (a comma list) keeps only the
     * named ones, for a long run that only needs to repeat one decoder. Pairs are never filtered.
     */
    static Stream<DynamicTest> each(String property, int defaultCases, Single body) {
        List<DecoderProvider> providers = Decoders.supported();
        assertFalse(providers.isEmpty(), "no supported DecoderProvider on the class path: " + Decoders.describe());
        String only = System.getProperty("conformance.decoders", "");
        if (!only.isBlank()) {
            List<String> names = java.util.Arrays.stream(only.split(",")).map(String::trim).toList();
            providers = providers.stream().filter(p -> names.contains(p.name())).toList();
        }
        return providers.stream().map(p -> DynamicTest.dynamicTest(p.name(),
                () -> PropertyRunner.check(property + " [" + p.name() + "]", defaultCases,
                        (random, i) -> body.run(p, random))));
    }

    /**
     * One test per pair. With fewer than two decoders the single test is skipped with the reason, so
     * the report shows the duel did not run instead of a green duel of a decoder with itself.
     */
    static Stream<DynamicTest> eachPair(String property, int defaultCases, Pair body) {
        List<List<DecoderProvider>> pairs = Decoders.pairs();
        if (pairs.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("needs two decoders", Decoders::assumeADuel));
        }
        return pairs.stream().map(pair -> {
            DecoderProvider a = pair.get(0);
            DecoderProvider b = pair.get(1);
            String label = a.name() + " vs " + b.name();
            return DynamicTest.dynamicTest(label, () -> PropertyRunner.check(property + " [" + label + "]",
                    defaultCases, (random, i) -> body.run(a, b, random)));
        });
    }
}
