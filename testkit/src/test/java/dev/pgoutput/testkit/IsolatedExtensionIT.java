package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IsolatedExtensionIT {

    @RegisterExtension static final PostgresExtension SHARED = PostgresExtension.version(17);

    @RegisterExtension
    static final PostgresExtension OWN =
            PostgresExtension.version(17).withSetting("max_replication_slots", "7").isolated();

    @Test
    void anIsolatedServerIsEmbeddedAndSeparateFromTheSharedOne() throws SQLException {
        PostgresServer own = OWN.server();
        assertTrue(own instanceof EmbeddedPostgres, own.toString());
        assertNotSame(SHARED.server(), own);
        try (Connection c = own.connect()) {
            assertEquals("7", EmbeddedPostgresIT.query(c, "SHOW max_replication_slots"));
        }
    }

    @Test
    void anIsolatedServerCanBeRestarted() throws SQLException {
        EmbeddedPostgres own = (EmbeddedPostgres) OWN.server();
        own.restart();
        assertTrue(own.isRunning());
        try (Connection c = own.connect()) {
            assertFalse(EmbeddedPostgresIT.query(c, "SELECT pg_postmaster_start_time()").isEmpty());
        }
    }
}
