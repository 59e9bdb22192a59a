package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session survives a short {@code wal_sender_timeout} while the published tables are idle and
 * while the application does not take events (the engine then stops reading and must still report).
 * An idle slot is also where pgjdbc 42.7.11+ fails with "Tried to write to an inactive copy operation"
 * (pgjdbc #4328); this covers our own CopyBoth stream on the pinned version.
 */
class KeepaliveIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17).withSetting("wal_sender_timeout", "2s").isolated();

    private static List<Object> ids(List<ChangeEvent> events) {
        return events.stream().map(e -> e.after().get("id")).toList();
    }

    @Test
    void idleAndSlowConsumersKeepTheSession(PostgresServer server) throws Exception {
        Database db = Database.on(server, "keepalive");
        db.execute("CREATE TABLE ka (id int PRIMARY KEY)");
        db.createPublicationAndSlot("ka");
        // The configured interval is far above the server's timeout: the reader must adapt.
        try (LogicalReplicationReader reader = db.reader().statusInterval(java.time.Duration.ofSeconds(30))
                .bufferCapacity(4).build()) {
            Thread.sleep(5_000); // idle, three times longer than the timeout allows without replies
            db.execute("INSERT INTO ka VALUES (1)");
            assertEquals(List.of(1), ids(Database.take(reader, 1)));

            db.execute("INSERT INTO ka SELECT generate_series(2, 40)");
            Thread.sleep(5_000); // slow consumer: the buffer of 4 is full and the engine waits
            assertEquals(IntStream.rangeClosed(2, 40).boxed().toList(), ids(Database.take(reader, 39)));
        } finally {
            db.dropSlot();
        }
    }
}
