package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code poll(maxEvents, timeout)}: batches of at most the asked size, in order, without waiting once the
 * first event is there; empty after the timeout; with automatic acknowledgement a batch is acknowledged
 * by asking for the next one, not while it is being taken.
 */
class BatchPollIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @Test
    void batchesComeInOrderAndAreAcknowledgedByTheNextCall() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "batch");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        db.createPublicationAndSlot(null);
        try (LogicalReplicationReader reader = db.reader().build()) {
            assertThrows(IllegalArgumentException.class, () -> reader.poll(0, Duration.ofMillis(1)));
            assertTrue(reader.poll(10, Duration.ofMillis(300)).isEmpty(), "nothing yet: empty after the timeout");
            db.execute("INSERT INTO t SELECT g FROM generate_series(1, 50) g");
            db.execute("INSERT INTO t VALUES (51)");
            List<Object> ids = new ArrayList<>();
            List<ChangeEvent> first = reader.poll(20, Duration.ofSeconds(10));
            assertTrue(first.size() >= 1 && first.size() <= 20, "at most the asked size: " + first.size());
            first.forEach(e -> ids.add(e.after().get("id")));
            long flushedDuringFirst = reader.flushedLsn();
            while (ids.size() < 51) {
                List<ChangeEvent> batch = reader.poll(20, Duration.ofSeconds(10));
                assertTrue(!batch.isEmpty() && batch.size() <= 20, "batch of " + batch.size());
                batch.forEach(e -> ids.add(e.after().get("id")));
            }
            List<Object> expected = new ArrayList<>();
            for (int i = 1; i <= 51; i++) {
                expected.add(i);
            }
            assertEquals(expected, ids, "every event once, in order");
            assertTrue(reader.poll(5, Duration.ofMillis(200)).isEmpty());
            assertTrue(reader.flushedLsn() > flushedDuringFirst,
                    "asking for more acknowledged the batches before: the slot moved past them");
        }
        db.dropSlot();
    }
}
