package dev.pgoutput.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unpacked binaries of one PostgreSQL version ({@code bin/}, {@code lib/}, {@code share/}).
 *
 * @param version the major version
 * @param home the directory holding {@code bin/postgres}
 */
record PostgresInstallation(PostgresVersion version, Path home) {

    /** System property naming the directory the binaries are unpacked into. */
    static final String CACHE_PROPERTY = "pgoutput.testkit.cache";

    private static final Pattern VERSION_OUTPUT = Pattern.compile("PostgreSQL\\)?\\s+(\\d+)(?:\\.(\\d+))?");

    /**
     * Returns the installation of {@code version}, downloading and unpacking it if needed, after
     * checking that {@code account} will be able to run it from there.
     */
    static PostgresInstallation prepare(PostgresVersion version, ServerAccount account) {
        String zonkyVersion = version.zonkyVersion();
        ArchiveUnpacker unpacker = new ArchiveUnpacker(cacheRoot());
        Path home = unpacker.installationDirectory(zonkyVersion);
        account.requireReachable(home.resolve("bin"));
        if (!Files.isRegularFile(home.resolve("bin").resolve("postgres"))) {
            // Locating may download; skip it when an earlier run already unpacked this version.
            BinaryArchive archive = BinaryArchiveLocator.fromSystemProperties().locate(zonkyVersion);
            home = unpacker.unpackOnce(archive);
        }
        return new PostgresInstallation(version, home);
    }

    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        // Not under the user's home: root's home is closed to the account that runs the server.
        return Path.of(System.getProperty("java.io.tmpdir"), "pgoutput-testkit");
    }

    /** The path of a tool in {@code bin/}. */
    Path tool(String name) {
        return home.resolve("bin").resolve(name);
    }

    /**
     * Asks {@code postgres --version} for the exact release, as a {@code server_version_num} value
     * (170006 for 17.6).
     */
    int serverVersionNum(ServerAccount account, Path workDirectory)
            throws IOException, InterruptedException {
        String output =
                ToolRun.captured(
                        account.processBuilder(List.of(tool("postgres").toString(), "--version"), workDirectory),
                        Duration.ofSeconds(30));
        return parseVersionNum(output);
    }

    /** Parses {@code postgres (PostgreSQL) 17.6} into 170006. */
    static int parseVersionNum(String versionOutput) {
        Matcher matcher = VERSION_OUTPUT.matcher(versionOutput);
        if (!matcher.find()) {
            throw new IllegalStateException("Unexpected postgres --version output: " + versionOutput);
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
        return major * 10000 + minor;
    }
}
