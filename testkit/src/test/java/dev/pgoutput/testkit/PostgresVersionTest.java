package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PostgresVersionTest {

    @ParameterizedTest
    @EnumSource(PostgresVersion.class)
    void eachVersionMapsToAZonkyReleaseOfTheSameMajor(PostgresVersion version) {
        String zonky = version.zonkyVersion();
        assertTrue(zonky.matches("\\d+\\.\\d+\\.\\d+"), zonky);
        assertTrue(zonky.startsWith(version.major() + "."), zonky);
        assertEquals(version, PostgresVersion.of(version.major()));
    }

    @Test
    void aSystemPropertyOverridesOneVersion() {
        String property = PostgresVersion.ZONKY_VERSION_PROPERTY_PREFIX + "15";
        System.setProperty(property, "15.1.0");
        try {
            assertEquals("15.1.0", PostgresVersion.V15.zonkyVersion());
        } finally {
            System.clearProperty(property);
        }
        assertTrue(PostgresVersion.V15.zonkyVersion().startsWith("15."));
    }

    @Test
    void rejectsUnsupportedMajors() {
        assertThrows(IllegalArgumentException.class, () -> PostgresVersion.of(11));
        assertThrows(IllegalArgumentException.class, () -> PostgresVersion.of(19));
    }

    @Test
    void theDefaultIs17UnlessConfigured() {
        String previous = System.getProperty(PostgresVersion.DEFAULT_VERSION_PROPERTY);
        try {
            System.clearProperty(PostgresVersion.DEFAULT_VERSION_PROPERTY);
            assertEquals(PostgresVersion.V17, PostgresVersion.defaultVersion());
            System.setProperty(PostgresVersion.DEFAULT_VERSION_PROPERTY, "13");
            assertEquals(PostgresVersion.V13, PostgresVersion.defaultVersion());
        } finally {
            if (previous == null) {
                System.clearProperty(PostgresVersion.DEFAULT_VERSION_PROPERTY);
            } else {
                System.setProperty(PostgresVersion.DEFAULT_VERSION_PROPERTY, previous);
            }
        }
    }

    @Test
    void parsesPostgresVersionOutput() {
        assertEquals(170006, PostgresInstallation.parseVersionNum("postgres (PostgreSQL) 17.6\n"));
        assertEquals(120022, PostgresInstallation.parseVersionNum("postgres (PostgreSQL) 12.22"));
        assertEquals(180000, PostgresInstallation.parseVersionNum("postgres (PostgreSQL) 18beta1"));
        assertThrows(IllegalStateException.class, () -> PostgresInstallation.parseVersionNum("huh"));
    }
}
