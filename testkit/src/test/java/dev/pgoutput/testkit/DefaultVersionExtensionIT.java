package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class DefaultVersionExtensionIT {

    @Test
    void startsTheDefaultVersion(PostgresServer server) throws SQLException {
        assumeTrue(ExternalPostgres.fromEnvironment().isEmpty(), "an external server is configured");
        assertEquals(PostgresVersion.defaultVersion().major(), server.majorVersion());
        try (Connection c = server.connect()) {
            assertEquals("postgres", EmbeddedPostgresIT.query(c, "SELECT current_user"));
        }
    }
}
