package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExtensionIT {

    @RegisterExtension static final PostgresExtension PG = PostgresExtension.version(16);

    private static final AtomicReference<PostgresServer> FIRST_SEEN = new AtomicReference<>();

    private static PostgresServer fromBeforeAll;

    @BeforeAll
    static void rememberServer(PostgresServer server) {
        fromBeforeAll = server;
    }

    @Test
    void resolvesAServerOfTheRequestedVersion(PostgresServer server) throws SQLException {
        assumeTrue(ExternalPostgres.fromEnvironment().isEmpty(), "an external server is configured");
        assertEquals(16, server.majorVersion());
        try (Connection c = server.connect()) {
            assertEquals("logical", EmbeddedPostgresIT.query(c, "SHOW wal_level"));
            assertEquals("16", EmbeddedPostgresIT.query(c, "SELECT current_setting('server_version_num')::int / 10000"));
        }
    }

    @Test
    void sharesOneServerAcrossTestsAndLifecycleMethods(PostgresServer server) {
        assertSame(fromBeforeAll, server);
        assertSame(PG.server(), server);
        FIRST_SEEN.compareAndSet(null, server);
        assertSame(FIRST_SEEN.get(), server);
    }

    @Test
    @DisabledIfEnvironmentVariable(named = ExternalPostgres.ENVIRONMENT_VARIABLE, matches = ".+")
    @DisabledIfSystemProperty(named = ExternalPostgres.SYSTEM_PROPERTY, matches = ".+")
    void resolvesTheSameServerAsEmbeddedPostgres(PostgresServer server, EmbeddedPostgres embedded) {
        assertSame(server, embedded);
        FIRST_SEEN.compareAndSet(null, server);
        assertSame(FIRST_SEEN.get(), server);
    }

    @Test
    void usesTheExternalServerWhenOneIsConfigured(PostgresServer server) throws SQLException {
        var external = ExternalPostgres.fromEnvironment();
        assumeTrue(external.isPresent(), "no external server is configured");
        assertEquals(external.get(), server);
        try (Connection c = server.connect()) {
            assertEquals(
                    Integer.toString(server.serverVersionNum()),
                    EmbeddedPostgresIT.query(c, "SHOW server_version_num"));
        }
    }

    @Nested
    class InANestedClass {
        @Test
        void getsTheSameSharedServer(PostgresServer server) {
            assertSame(fromBeforeAll, server);
        }
    }
}
