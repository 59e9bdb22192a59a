package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReaderMetrics;
import dev.pgoutput.testkit.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code metrics()}: nothing before the first event; then the events and bytes handed over, the buffer's
 * depth, the positions received and confirmed against the server's WAL end, and how long after its commit
 * the last event came.
 */
class MetricsIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @Test
    void aReadersFiguresFollowWhatItDelivered() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "metrics");
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
        db.createPublicationAndSlot(null);
        try (LogicalReplicationReader reader = db.reader().bufferCapacity(8).build()) {
            ReaderMetrics before = reader.metrics();
            assertEquals(0, before.eventsDelivered());
            assertNull(before.commitToDelivery());
            assertNull(before.snapshot());
            db.execute("INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 50) g");
            Database.take(reader, 20);
            ReaderMetrics during = reader.metrics();
            assertEquals(20, during.eventsDelivered());
            assertTrue(during.bytesDelivered() >= 20 * 100, "the bytes behind them: " + during);
            assertTrue(during.queueEvents() > 0 && during.queueEvents() <= 8, "the buffer is full meanwhile: " + during);
            assertTrue(during.receivedLsn() > 0 && during.walEndLsn() >= during.receivedLsn(), during.toString());
            assertNotNull(during.commitToDelivery());
            assertNotNull(during.sinceLastMessage());
            Database.take(reader, 30);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            ReaderMetrics after = reader.metrics();
            while ((after.queueEvents() > 0 || after.confirmedLsn() < after.receivedLsn())
                    && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(100));   // asking for more acknowledges what came
                after = reader.metrics();
            }
            assertEquals(50, after.eventsDelivered());
            assertEquals(0, after.queueEvents());
            assertTrue(after.confirmedLsn() >= after.receivedLsn(), "caught up and confirmed: " + after);
            assertEquals(0, after.reconnects());
            assertNull(after.lastError());
        }
        db.dropSlot();
    }
}
