package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.testkit.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code isTransactionComplete()} for a consumer of single events: false while a transaction's events are being
 * taken (also right after its last one, whose commit the reader has not passed yet), true once a poll passed its
 * commit and nothing else waits, true at once for a message outside any transaction. The transactions are all
 * written before the first poll, so what the reader has passed does not depend on timing.
 */
class TransactionCompleteIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    /** Long enough for every event written before the first poll to arrive; only a deadline. */
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    @Test
    void theEndOfATransactionIsKnownOnceItsCommitWasPassed() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "txend");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        db.createPublicationAndSlot(null);
        try (LogicalReplicationReader reader = db.reader().autoAcknowledge(false).messages(true).build()) {
            db.execute("INSERT INTO t VALUES (1), (2), (3)", "INSERT INTO t VALUES (4), (5)");
            assertFalse(reader.isTransactionComplete(), "nothing delivered yet");
            assertEquals(1, id(reader.poll(ARRIVAL)));
            assertFalse(reader.isTransactionComplete(), "two more events of the first transaction follow");
            assertEquals(2, id(reader.poll(ARRIVAL)));
            assertEquals(3, id(reader.poll(ARRIVAL)));
            assertFalse(reader.isTransactionComplete(), "its last event, but its commit was not passed yet");
            assertEquals(4, id(reader.poll(ARRIVAL)), "passes the first transaction's commit");
            assertFalse(reader.isTransactionComplete(), "the second transaction has just begun");
            assertEquals(5, id(reader.poll(ARRIVAL)));
            assertFalse(reader.isTransactionComplete());
            assertNull(reader.poll(Duration.ofMillis(500)), "nothing else was written");
            assertTrue(reader.isTransactionComplete(), "the poll passed the second transaction's commit");

            db.execute("SELECT pg_logical_emit_message(false, 'app', 'outside')", "INSERT INTO t VALUES (6)");
            ChangeEvent message = reader.poll(ARRIVAL);
            assertEquals(Op.MESSAGE, message.op());
            assertTrue(reader.isTransactionComplete(), "a message outside any transaction is one by itself");
            assertEquals(6, id(reader.poll(ARRIVAL)));
            assertFalse(reader.isTransactionComplete());
            reader.acknowledge();
        }
        db.dropSlot();
    }

    private static int id(ChangeEvent e) {
        if (e == null) {
            throw new AssertionError("no event within " + ARRIVAL.toSeconds() + " s");
        }
        return (Integer) e.after().get("id");
    }
}
