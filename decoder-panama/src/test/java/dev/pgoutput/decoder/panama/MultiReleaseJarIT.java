package dev.pgoutput.decoder.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged multi-release jar, run in separate JVMs next to core-api and the bytebuffer decoder, once
 * on the class path and once on the module path:
 * <ul>
 *   <li>on OpenJDK 17, the panama provider is listed, unsupported with a reason, and nothing throws
 *       (no {@code ServiceConfigurationError}, no unreadable module descriptor); bytebuffer is picked;</li>
 *   <li>on the build JDK (22+), the panama provider is supported, picked and decodes.</li>
 * </ul>
 * The probe program is compiled by JDK 17's {@code javac --release 17} at test time. Skipped, visibly, when
 * no JDK 17 is installed at {@code pgoutput.java17.home}.
 */
class MultiReleaseJarIT {

    private static final String PROBE = """
            import dev.pgoutput.spi.DecoderProvider;
            import java.nio.ByteBuffer;
            import java.util.ServiceLoader;

            public class ListDecoderProviders {
                public static void main(String[] args) {
                    DecoderProvider best = null;
                    for (DecoderProvider p : ServiceLoader.load(DecoderProvider.class)) {
                        System.out.println("provider " + p.name() + " supported=" + p.isSupported()
                                + " module=" + p.getClass().getModule().getName()
                                + " reason=" + p.unsupportedReason());
                        if (p.isSupported() && (best == null || p.priority() > best.priority())) {
                            best = p;
                        }
                    }
                    System.out.println("selected " + best.name());
                    byte[] begin = {'B', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3};
                    System.out.println("decoded " + best.create().decode(ByteBuffer.wrap(begin), 9L));
                }
            }
            """;

    @TempDir
    static Path work;

    private static Path java17Home;
    private static Path probeClasses;
    private static List<String> jars;

    @BeforeAll
    static void compileProbe() throws Exception {
        java17Home = Path.of(System.getProperty("pgoutput.java17.home", "/usr/lib/jvm/java-17-openjdk-amd64"));
        assumeTrue(Files.isExecutable(java17Home.resolve("bin/java")) && Files.isExecutable(java17Home.resolve("bin/javac")),
                () -> "no JDK 17 at " + java17Home + " (set -Dpgoutput.java17.home); Java 17 checks skipped");
        Path panamaJar = Path.of(System.getProperty("pgoutput.panama.jar", "target/missing.jar"));
        assertTrue(Files.isRegularFile(panamaJar), "the packaged jar is missing: " + panamaJar);
        String coreApi = classPathEntry("pgoutput-core-api", "core-api");
        jars = List.of(coreApi, classPathEntry("slf4j-api", null),
                classPathEntry("pgoutput-decoder-bytebuffer", "decoder-bytebuffer"), panamaJar.toString());

        Path source = work.resolve("src/ListDecoderProviders.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, PROBE);
        probeClasses = work.resolve("classes");
        Result javac = run(java17Home.resolve("bin/javac").toString(), "--release", "17", "-cp", coreApi,
                "-d", probeClasses.toString(), source.toString());
        assertEquals(0, javac.exit, javac::toString);
    }

    @Test
    void java17ClassPath() throws Exception {
        Result r = run(java17(), "-cp", probeClasses + File.pathSeparator + String.join(File.pathSeparator, jars),
                "ListDecoderProviders");
        assertJava17(r, "null");
    }

    @Test
    void java17ModulePath() throws Exception {
        Result r = run(java17(), "--module-path", String.join(File.pathSeparator, jars),
                "--add-modules", "ALL-MODULE-PATH", "-cp", probeClasses.toString(), "ListDecoderProviders");
        assertJava17(r, "dev.pgoutput.decoder.panama");
    }

    @Test
    void buildJdkClassPath() throws Exception {
        Result r = run(currentJava(), "-cp", probeClasses + File.pathSeparator
                + String.join(File.pathSeparator, jars), "ListDecoderProviders");
        assertPanamaSelected(r, "null");
    }

    @Test
    void buildJdkModulePath() throws Exception {
        Result r = run(currentJava(), "--module-path", String.join(File.pathSeparator, jars),
                "--add-modules", "ALL-MODULE-PATH", "-cp", probeClasses.toString(), "ListDecoderProviders");
        assertPanamaSelected(r, "dev.pgoutput.decoder.panama");
    }

    /**
     * A repackaged jar that lost {@code Multi-Release: true} (a careless shade) hides the decoder even from
     * a new JDK: the provider must say so instead of failing in {@code create()}.
     */
    @Test
    void buildJdkWithoutMultiReleaseManifest() throws Exception {
        Path stripped = work.resolve("stripped.jar");
        try (JarFile in = new JarFile(jars.get(3));
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(stripped))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().remove(new Attributes.Name("Multi-Release"));
            out.putNextEntry(new JarEntry(JarFile.MANIFEST_NAME));
            manifest.write(out);
            for (JarEntry e : Collections.list(in.entries())) {
                if (!e.getName().equals(JarFile.MANIFEST_NAME)) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.getInputStream(e).transferTo(out);
                }
            }
        }
        List<String> cp = new ArrayList<>(jars.subList(0, 3));
        cp.add(stripped.toString());
        Result r = run(currentJava(), "-cp", probeClasses + File.pathSeparator + String.join(File.pathSeparator, cp),
                "ListDecoderProviders");
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.contains("provider panama supported=false module=null reason=runs on Java "), r::toString);
        assertTrue(r.out.contains("Multi-Release: true"), r::toString);
        assertTrue(r.out.contains("selected bytebuffer"), r::toString);
    }

    private static void assertJava17(Result r, String panamaModule) {
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.contains("provider panama supported=false module=" + panamaModule
                + " reason=needs Java 22 or newer"), r::toString);
        assertTrue(r.out.contains("provider bytebuffer supported=true"), r::toString);
        assertTrue(r.out.contains("selected bytebuffer"), r::toString);
        assertTrue(r.out.contains("decoded Begin[finalLsn=1, commitTimestamp=2, xid=3]"), r::toString);
        assertFalse(r.err.contains("Exception") || r.err.contains("Error"), r::toString);
    }

    private static void assertPanamaSelected(Result r, String panamaModule) {
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.contains("provider panama supported=true module=" + panamaModule + " reason="), r::toString);
        assertTrue(r.out.contains("selected panama"), r::toString);
        assertTrue(r.out.contains("decoded Begin[finalLsn=1, commitTimestamp=2, xid=3]"), r::toString);
        assertEquals("", r.err.strip(), r::toString);
    }

    private static String java17() {
        return java17Home.resolve("bin/java").toString();
    }

    private static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A jar (or, inside a reactor build, a classes folder) of this test's own class path. */
    private static String classPathEntry(String jarPrefix, String moduleFolder) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            // Not the -tests.jar of core-api (the shared test fixtures) that the class path also holds.
            if (name.startsWith(jarPrefix) && name.endsWith(".jar") && !name.endsWith("-tests.jar")) {
                return entry;
            }
            if (moduleFolder != null && p.endsWith(Path.of(moduleFolder, "target", "classes"))) {
                return entry;
            }
        }
        throw new AssertionError(jarPrefix + " is not on the test class path: " + System.getProperty("java.class.path"));
    }

    private record Result(List<String> command, int exit, String out, String err) {
        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + Arrays.toString(command));
        }
        return new Result(new ArrayList<>(List.of(command)), process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
