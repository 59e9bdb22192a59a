package dev.pgoutput.decoder.panama;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgoutput.spi.DecoderProvider;
import java.util.ServiceLoader;

/**
 * The providers as users find them (ServiceLoader), for the provider and buffer tests of this module.
 * The duel of the two decoders lives in the conformance module.
 */
final class Decoders {

    private Decoders() {
    }

    static DecoderProvider provider(String name) {
        for (DecoderProvider p : ServiceLoader.load(DecoderProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no DecoderProvider named '" + name + "' on the test class path");
    }

    /** The bytebuffer provider, which the panama one must outrank where it is supported. */
    static DecoderProvider reference() {
        return provider("bytebuffer");
    }

    /**
     * The panama provider; skips the calling test visibly when it cannot run here, rather than letting a
     * test of it pass without running it.
     */
    static DecoderProvider panama() {
        DecoderProvider p = provider("panama");
        assumeTrue(p.isSupported(), () -> "panama decoder not supported here: " + p.unsupportedReason());
        return p;
    }
}
