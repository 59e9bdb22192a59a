package dev.pgoutput.decoder.panama;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgoutput.spi.DecoderProvider;
import java.util.ServiceLoader;

/**
 * The two providers under test, found the way users find them (ServiceLoader), so the tests need no
 * compile-time access to either implementation class.
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

    /** The bytebuffer provider, the reference of every duel. */
    static DecoderProvider reference() {
        return provider("bytebuffer");
    }

    /**
     * The panama provider; skips the calling test visibly when it cannot run here, rather than letting a
     * duel pass by comparing the reference with itself.
     */
    static DecoderProvider panama() {
        DecoderProvider p = provider("panama");
        assumeTrue(p.isSupported(), () -> "panama decoder not supported here: " + p.unsupportedReason());
        return p;
    }
}
