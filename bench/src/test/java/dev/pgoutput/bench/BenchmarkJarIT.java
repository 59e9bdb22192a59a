package dev.pgoutput.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded {@code benchmarks.jar} on its own: a multi-release jar whose merged {@code META-INF/services}
 * finds both decoders, both supported, and which holds the JMH benchmark list and the corpora.
 */
class BenchmarkJarIT {

    @Test
    void bothDecodersAreFoundAndSupportedInTheShadedJar() throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/benchmarks.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " missing");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals("true", file.getManifest().getMainAttributes().getValue("Multi-Release"));
            assertNotNull(file.getEntry("META-INF/BenchmarkList"));
            assertNotNull(file.getEntry("corpus/pg17-binary.pgoc"));
            assertNotNull(file.getEntry("corpus/w1-binary.pgoc.gz"));
            assertNotNull(file.getEntry("META-INF/versions/22/dev/pgoutput/decoder/panama/PanamaDecoder.class"));
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> spi = loader.loadClass("dev.pgoutput.spi.DecoderProvider");
            TreeMap<String, String> found = new TreeMap<>();
            for (Object p : ServiceLoader.load(spi, loader)) {
                boolean supported = (Boolean) spi.getMethod("isSupported").invoke(p);
                found.put((String) spi.getMethod("name").invoke(p),
                        supported ? "supported" : (String) spi.getMethod("unsupportedReason").invoke(p));
            }
            assertEquals("{bytebuffer=supported, panama=supported}", found.toString());
        }
    }
}
