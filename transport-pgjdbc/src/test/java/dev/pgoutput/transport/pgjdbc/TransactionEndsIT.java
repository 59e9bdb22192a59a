package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Transaction;
import dev.pgoutput.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code transactionEnds}: a consumer of single events hears where each transaction ends, after its last event and
 * before the next one, with the end LSN that {@code transactions()} reports for it on a second slot over the same
 * WAL; a message outside any transaction has no end.
 */
class TransactionEndsIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @Test
    void eachTransactionEndsAfterItsLastEventAndBeforeTheNext() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "ends");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        db.createPublicationAndSlot("t");
        Database reference = db.inSameDatabase("endsref");
        reference.createPublicationAndSlot("t");
        db.execute("BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); COMMIT",
                "SELECT pg_logical_emit_message(false, 'app', 'outside')",
                "INSERT INTO t VALUES (3)");

        List<Long> ends = new ArrayList<>();
        try (LogicalReplicationReader r = reference.reader().messages(true).build()) {
            Iterator<Transaction> it = r.transactions().iterator();
            for (int i = 0; i < 3; i++) {
                Transaction tx = it.next();
                tx.events().forEachRemaining(e -> { });
                ends.add(tx.endLsn());
            }
        }
        List<String> expected = List.of("c 1", "c 2", "end " + ends.get(0), "m app", "c 3", "end " + ends.get(2));

        List<String> seen = new ArrayList<>();
        try (LogicalReplicationReader reader = db.reader().messages(true)
                .transactionEnds(end -> seen.add("end " + end)).build()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < expected.size() && System.nanoTime() < deadline) {
                ChangeEvent e = reader.poll(Duration.ofMillis(200));
                if (e != null) {
                    seen.add(e.op() == Op.MESSAGE ? "m " + e.message().prefix() : e.op().code() + " " + e.after().get("id"));
                }
            }
        }
        assertEquals(expected, seen);
        db.dropSlot();
        reference.dropSlot();
    }
}
