package dev.pgoutput.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgoutput.spi.DecoderProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The decoders under test, found exactly as the engine finds them (ServiceLoader), so a provider whose
 * registration is broken is caught here too.
 */
final class Decoders {

    private static final List<DecoderProvider> FOUND = ServiceLoader.load(DecoderProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .sorted(Comparator.comparing(DecoderProvider::name))
            .toList();

    private Decoders() {
    }

    /** Every provider found, supported or not. */
    static List<DecoderProvider> found() {
        return FOUND;
    }

    /** The providers that can run on this JVM, by name. */
    static List<DecoderProvider> supported() {
        return FOUND.stream().filter(DecoderProvider::isSupported).toList();
    }

    /** Every unordered pair of supported providers. */
    static List<List<DecoderProvider>> pairs() {
        List<DecoderProvider> all = supported();
        List<List<DecoderProvider>> pairs = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                pairs.add(List.of(all.get(i), all.get(j)));
            }
        }
        return pairs;
    }

    /**
     * Skips the calling test, saying why, when fewer than two decoders can run here: a duel of one
     * decoder with itself would pass without testing anything.
     */
    static void assumeADuel() {
        assumeTrue(!pairs().isEmpty(),
                () -> "duel skipped: fewer than two supported decoders found (" + describe() + ")");
    }

    /** Names and, for the unsupported ones, why: for skip messages. */
    static String describe() {
        return FOUND.isEmpty() ? "no decoder found" : FOUND.stream()
                .map(p -> p.isSupported() ? p.name() : p.name() + " (unsupported: " + p.unsupportedReason() + ")")
                .collect(Collectors.joining(", "));
    }
}
