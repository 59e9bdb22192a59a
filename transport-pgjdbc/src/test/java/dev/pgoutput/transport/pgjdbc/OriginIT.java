package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replication origins: a change written in a session set up as origin {@code node_a} (as a subscriber's
 * apply worker writes what it replicates) carries the origin's name in its source block; with
 * {@code origin("none")} (PostgreSQL 16+) it is not streamed at all, only local changes are.
 */
class OriginIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {16, 17, 18})
    void originIsNamedOrFilteredOut(int major) throws Exception {
        Database any = Database.inOwnDatabase(PG.server(major), "origin_any");
        Database none = any.inSameDatabase("origin_none");
        // Origins belong to the whole server, which other tests share: a name of this test's own.
        String origin = "node_a_" + any.database;
        try {
            any.execute("CREATE TABLE replicated (id int PRIMARY KEY)",
                    "SELECT pg_replication_origin_create('" + origin + "')");
            any.createPublicationAndSlot("replicated");
            none.execute("CREATE PUBLICATION " + none.publication + " FOR TABLE replicated",
                    "SELECT pg_create_logical_replication_slot('" + none.slot + "', 'pgoutput')");
            try (Connection c = any.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_replication_origin_session_setup('" + origin + "')");
                s.execute("INSERT INTO replicated VALUES (1)");            // as if replicated from node_a
                s.execute("SELECT pg_replication_origin_session_reset()");
                s.execute("INSERT INTO replicated VALUES (2)");            // a local change
            }
            try (LogicalReplicationReader reader = any.reader().build()) {
                List<ChangeEvent> events = Database.take(reader, 2);
                assertEquals(1, events.get(0).after().get("id"));
                assertEquals(origin, events.get(0).source().origin());
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
            any.execute("SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin WHERE roname = '"
                    + origin + "'");
        }
    }
}
