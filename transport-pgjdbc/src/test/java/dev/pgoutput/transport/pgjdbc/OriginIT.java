package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.EmbeddedPostgres;
import dev.pgoutput.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replication origins: a change written in a session set up as origin {@code node_a} (as a subscriber's
 * apply worker writes what it replicates) carries the origin's name in its source block; with
 * {@code origin("none")} (PostgreSQL 16+) it is not streamed at all, only local changes are.
 */
class OriginIT {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {16, 17, 18})
    void originIsNamedOrFilteredOut(int major) throws Exception {
        try (PostgresServer server = EmbeddedPostgres.builder().version(major).start()) {
            Database any = Database.on(server, "origin_any");
            Database none = Database.on(server, "origin_none");
            any.execute("CREATE TABLE replicated (id int PRIMARY KEY)",
                    "SELECT pg_replication_origin_create('node_a')");
            any.createPublicationAndSlot("replicated");
            none.execute("CREATE PUBLICATION " + none.publication + " FOR TABLE replicated",
                    "SELECT pg_create_logical_replication_slot('" + none.slot + "', 'pgoutput')");
            try {
                try (Connection c = server.connect(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_replication_origin_session_setup('node_a')");
                    s.execute("INSERT INTO replicated VALUES (1)");            // as if replicated from node_a
                    s.execute("SELECT pg_replication_origin_session_reset()");
                    s.execute("INSERT INTO replicated VALUES (2)");            // a local change
                }
                try (LogicalReplicationReader reader = any.reader().build()) {
                    List<ChangeEvent> events = Database.take(reader, 2);
                    assertEquals(1, events.get(0).after().get("id"));
                    assertEquals("node_a", events.get(0).source().origin());
                    assertEquals(2, events.get(1).after().get("id"));
                    assertNull(events.get(1).source().origin());
                }
                try (LogicalReplicationReader reader = none.reader().origin("none").build()) {
                    List<ChangeEvent> events = Database.take(reader, 1);
                    assertEquals(2, events.get(0).after().get("id"), "only the local change");
                    Database.assertNoMoreEvents(reader, Duration.ofMillis(500));
                }
            } finally {
                any.dropSlot();
                none.dropSlot();
            }
        }
    }
}
