package dev.pgoutput.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.spi.DecoderProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The decoders this module depends on must actually be found, or the duel would be skipped for the
 * wrong reason (a lost META-INF/services entry) instead of failing. Override the expectation with
 * {@code -Dconformance.expectedDecoders=a,b}.
 */
class DecoderDiscoveryTest {

    private static final String EXPECTED = System.getProperty("conformance.expectedDecoders", "bytebuffer,panama");

    @Test
    void everyDecoderOnTheTestClassPathIsFoundAndSupported() {
        Set<String> expected = new TreeSet<>(Arrays.asList(EXPECTED.split(",")));
        Set<String> found = new TreeSet<>();
        for (DecoderProvider p : Decoders.found()) {
            assertTrue(found.add(p.name()), "two providers named " + p.name());
            assertTrue(p.isSupported(), p.name() + " is not supported on this JDK: " + p.unsupportedReason());
        }
        assertEquals(expected, found, "decoders found with ServiceLoader: " + Decoders.describe());
    }

    @Test
    void providersNameTheirArtifact() {
        List<DecoderProvider> all = Decoders.found();
        for (DecoderProvider p : all) {
            assertEquals("pgoutput-decoder-" + p.name(), p.artifactId());
        }
    }
}
