package dev.pgoutput.testkit.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared server of a run with {@code pgoutput.testkit.servers=testcontainers} (set for this module's
 * integration tests) is a container that logical replication works on. Where no Docker engine is reachable (as
 * on this project's build machines) the extension skips the test and the report says why.
 */
class ContainerServersIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @Test
    void theSharedServerIsAContainerReadyForLogicalReplication(PostgresServer server) throws Exception {
        assertInstanceOf(ContainerPostgres.class, server, "containers were asked for: " + server);
        assertEquals(17, server.majorVersion());
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
                rs.next();
                assertEquals("logical", rs.getString(1));
            }
            s.execute("CREATE TABLE t (id int PRIMARY KEY)");
            s.execute("CREATE PUBLICATION containers_it FOR TABLE t");
            s.execute("SELECT pg_create_logical_replication_slot('containers_it', 'pgoutput')");
            s.execute("INSERT INTO t VALUES (1)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_logical_slot_peek_binary_changes("
                    + "'containers_it', NULL, NULL, 'proto_version', '1', 'publication_names', 'containers_it')")) {
                rs.next();
                assertEquals(4, rs.getInt(1), "Begin, Relation, Insert, Commit");
            }
            s.execute("SELECT pg_drop_replication_slot('containers_it')");
        }
    }
}
