package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A smoke test of the whole path on every supported server version. */
class ServerVersionsIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {12, 13, 14, 15, 16, 17, 18})
    void insertUpdateDeleteOnEveryVersion(int major) throws Exception {
        PostgresServer server = PG.server(major);
        assertEquals(major, server.majorVersion());
        Database db = Database.inOwnDatabase(server, "v" + major);
        try {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(8,2))",
                    "ALTER TABLE items REPLICA IDENTITY FULL");
            db.createPublicationAndSlot("items");
            try (LogicalReplicationReader reader = db.reader().build()) {
                db.execute("INSERT INTO items VALUES (1, 'one', 1.10)",
                        "UPDATE items SET name = 'uno' WHERE id = 1",
                        "DELETE FROM items WHERE id = 1");
                List<ChangeEvent> events = Database.take(reader, 3);
                assertEquals(List.of(Op.CREATE, Op.UPDATE, Op.DELETE), events.stream().map(ChangeEvent::op).toList());
                assertEquals(Map.of("id", 1, "name", "one", "price", new java.math.BigDecimal("1.10")),
                        Map.copyOf(events.get(1).before()));
                assertEquals("uno", events.get(1).after().get("name"));
                assertEquals("uno", events.get(2).before().get("name"));
                assertTrue(events.get(2).source().lsn() > events.get(0).source().lsn());
            }
        } finally {
            db.dropSlot();
        }
    }
}
