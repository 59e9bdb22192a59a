package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.PgOutputDecoder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderSelectionTest {

    private record Fake(String name, int priority, boolean isSupported) implements DecoderProvider {
        @Override
        public String unsupportedReason() {
            return isSupported ? "" : "needs a newer JDK";
        }

        @Override
        public String artifactId() {
            return "pgoutput-decoder-" + name;
        }

        @Override
        public PgOutputDecoder create() {
            throw new UnsupportedOperationException();
        }
    }

    private static final Fake PORTABLE = new Fake("bytebuffer", 10, true);
    private static final Fake FAST = new Fake("panama", 20, true);
    private static final Fake FAST_UNSUPPORTED = new Fake("panama", 20, false);

    @Test
    void highestSupportedPriorityWins() {
        assertEquals("panama", ProviderSelection.decoder(null, null, List.of(PORTABLE, FAST)).name());
        assertEquals("bytebuffer", ProviderSelection.decoder(null, null, List.of(PORTABLE, FAST_UNSUPPORTED)).name());
    }

    @Test
    void theLogLineSaysWhyAnUnsupportedDecoderWasNotChosen() {
        String line = ProviderSelection.chosen(PORTABLE, List.of(PORTABLE, FAST_UNSUPPORTED));
        assertEquals("Using pgoutput decoder 'bytebuffer' (the only one that can run here); 'panama' is on the class "
                + "path but cannot run on Java " + Runtime.version().feature() + ": needs a newer JDK", line);
        assertEquals("Using pgoutput decoder 'panama' (highest priority of [bytebuffer, panama])",
                ProviderSelection.chosen(FAST, List.of(PORTABLE, FAST)));
    }

    @Test
    void builderBeatsPropertyBeatsPriority() {
        assertEquals("bytebuffer", ProviderSelection.decoder(null, "bytebuffer", List.of(PORTABLE, FAST)).name());
        assertEquals("panama", ProviderSelection.decoder("panama", "bytebuffer", List.of(PORTABLE, FAST)).name());
    }

    @Test
    void missingRequestedDecoderNamesTheArtifact() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ProviderSelection.decoder("panama", null, List.of(PORTABLE)));
        assertTrue(e.getMessage().contains("pgoutput-decoder-panama"), e.getMessage());
    }

    @Test
    void unsupportedRequestedDecoderSaysWhy() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ProviderSelection.decoder(null, "panama", List.of(PORTABLE, FAST_UNSUPPORTED)));
        assertTrue(e.getMessage().contains("needs a newer JDK"), e.getMessage());
    }

    @Test
    void aTieNamesTheProvidersAndTheirArtifacts() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ProviderSelection.decoder(null, null, List.of(PORTABLE, new Fake("other", 10, true))));
        assertTrue(e.getMessage().contains("[bytebuffer, other]"), e.getMessage());
        assertTrue(e.getMessage().contains("[pgoutput-decoder-bytebuffer, pgoutput-decoder-other]"), e.getMessage());
    }

    @Test
    void tiesAndAbsenceAreErrors() {
        assertThrows(ConfigurationException.class,
                () -> ProviderSelection.decoder(null, null, List.of(PORTABLE, new Fake("other", 10, true))));
        ConfigurationException none = assertThrows(ConfigurationException.class,
                () -> ProviderSelection.decoder(null, null, List.of()));
        assertTrue(none.getMessage().contains("pgoutput-decoder-bytebuffer"), none.getMessage());
    }

    @Test
    void aProviderThatCannotLoadIsSkippedAndTheOthersStillLoad(@TempDir Path registry) throws Exception {
        // A registration of a class that does not exist, then of a working provider; the same happens on
        // Java 17 with a provider compiled for a newer Java. Registered in a folder of its own rather than
        // in the test resources, so that other modules' tests that use this module's test classes do not
        // find these providers.
        Path services = Files.createDirectories(registry.resolve("META-INF/services"));
        Files.writeString(services.resolve(DecoderProvider.class.getName()),
                "dev.pgoutput.internal.engine.NoSuchDecoderProvider\n" + TestOnlyDecoderProvider.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {registry.toUri().toURL()},
                getClass().getClassLoader())) {
            List<DecoderProvider> loaded = ProviderSelection.loadDecoders(loader);
            assertEquals(List.of("test-only"), loaded.stream().map(DecoderProvider::name).toList());
        }
    }
}
