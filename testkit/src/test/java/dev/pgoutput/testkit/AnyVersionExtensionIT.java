package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;

/**
 * {@link PostgresExtension#anyVersion()} gives the shared server of each version asked for, the same one
 * a {@code version(major)} extension with the same settings gives, and a different one for other
 * settings.
 */
class AnyVersionExtensionIT {

    /** Resolves the {@code PostgresServer} parameters; the others resolve none, so they do not compete. */
    @RegisterExtension static final PostgresExtension PG16 = PostgresExtension.version(16);

    @RegisterExtension static final PostgresExtension ANY = PostgresExtension.anyVersion();

    @RegisterExtension
    static final PostgresExtension FEW_SLOTS =
            PostgresExtension.anyVersion().withSetting("max_replication_slots", "9");

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {16, 17})
    void givesAServerOfTheVersionAskedFor(int major) throws SQLException {
        assumeTrue(ExternalPostgres.fromEnvironment().isEmpty(), "an external server is configured");
        PostgresServer server = ANY.server(major);
        assertEquals(major, server.majorVersion());
        try (Connection c = server.connect()) {
            assertEquals(Integer.toString(major),
                    EmbeddedPostgresIT.query(c, "SELECT current_setting('server_version_num')::int / 10000"));
            assertEquals("logical", EmbeddedPostgresIT.query(c, "SHOW wal_level"));
        }
    }

    @Test
    void givesTheSharedServerOfThatVersionAndSettings(PostgresServer sixteen) {
        assertSame(sixteen, ANY.server(16), "the server of version(16), with the same (default) settings");
        assertSame(PG16.server(), ANY.server(PostgresVersion.V16));
        assertSame(ANY.server(17), ANY.server(17), "started once");
    }

    @Test
    void otherSettingsGiveAnotherServer() throws SQLException {
        assumeTrue(ExternalPostgres.fromEnvironment().isEmpty(), "an external server is configured");
        PostgresServer fewSlots = FEW_SLOTS.server(17);
        assertNotSame(ANY.server(17), fewSlots);
        assertSame(fewSlots, FEW_SLOTS.server(17));
        try (Connection c = fewSlots.connect()) {
            assertEquals("9", EmbeddedPostgresIT.query(c, "SHOW max_replication_slots"));
        }
        try (Connection c = ANY.server(17).connect()) {
            assertEquals("20", EmbeddedPostgresIT.query(c, "SHOW max_replication_slots"), "the test kit's default");
        }
    }

    @Test
    void skipsAVersionTheExternalServerDoesNotHave() {
        var external = ExternalPostgres.fromEnvironment();
        assumeTrue(external.isPresent(), "no external server is configured");
        int major = external.get().majorVersion();
        assertEquals(external.get(), ANY.server(major));
        assertThrows(TestAbortedException.class, () -> ANY.server(major == 12 ? 13 : 12));
    }
}
