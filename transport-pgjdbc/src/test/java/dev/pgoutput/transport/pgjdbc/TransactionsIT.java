package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Transaction;
import dev.pgoutput.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code transactions()}: whole transactions in commit order, of every kind — plain, with a savepoint
 * rolled back, streamed while in progress, prepared, a message outside any transaction between them —
 * each with its xid, positions and events; a transaction left half-way is skipped; acknowledging one
 * whole moves the slot past it and a new reader starts after it; the two ways of reading do not mix.
 */
class TransactionsIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.streamingTwoPhase();

    @Test
    void transactionsOfEveryKindComeWholeInCommitOrder() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "tx");
        db.execute("CREATE TABLE t (id int PRIMARY KEY, pad text)");
        db.createPublicationAndSlot(null);
        try (LogicalReplicationReader reader = db.reader().streaming(true).twoPhase(true).messages(true).build();
             Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
            s.execute("BEGIN");
            s.execute("INSERT INTO t VALUES (3, 'c')");
            s.execute("SAVEPOINT sp");
            s.execute("INSERT INTO t VALUES (4, 'rolled back')");
            s.execute("ROLLBACK TO SAVEPOINT sp");
            s.execute("INSERT INTO t VALUES (5, 'e')");
            s.execute("COMMIT");
            s.execute("SELECT pg_logical_emit_message(false, 'app', 'outside')");
            // Past logical_decoding_work_mem (64 kB here): streamed while in progress, delivered at commit.
            s.execute("INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(100, 2099) g");
            s.execute("BEGIN");
            s.execute("INSERT INTO t VALUES (6, 'prepared')");
            s.execute("PREPARE TRANSACTION 'gid-6'");
            s.execute("COMMIT PREPARED 'gid-6'");

            Iterator<Transaction> txs = reader.transactions().iterator();
            List<Object> ids = ids(txs.next());
            assertEquals(List.of(1, 2), ids);
            Transaction savepoint = txs.next();
            assertTrue(savepoint.xid() > 0);
            List<ChangeEvent> events = list(savepoint);
            assertEquals(List.of(3, 5), events.stream().map(e -> e.after().get("id")).toList(), "4 was rolled back");
            assertTrue(events.stream().allMatch(e -> e.source().txId() == savepoint.xid()
                    && e.source().commitLsn() == savepoint.commitLsn()));
            assertTrue(savepoint.endLsn() > savepoint.commitLsn(), "the end is known once the events were read");
            Transaction message = txs.next();
            assertEquals(0, message.xid(), "a message outside any transaction is a transaction of its own");
            List<ChangeEvent> messageEvents = list(message);
            assertEquals(1, messageEvents.size());
            assertEquals(Op.MESSAGE, messageEvents.get(0).op());
            Transaction big = txs.next();
            assertEquals(2000, list(big).size(), "the streamed transaction, whole, at its commit");
            Transaction prepared = txs.next();
            assertEquals("gid-6", prepared.gid());
            assertEquals(List.of(6), ids(prepared));
        }
        db.dropSlot();
    }

    @Test
    void aTransactionLeftHalfWayIsSkippedAndOneAcknowledgedWholeIsNotSentAgain() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "txack");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        db.createPublicationAndSlot(null);
        db.execute("INSERT INTO t SELECT g FROM generate_series(1, 100) g", "INSERT INTO t VALUES (1000)",
                "INSERT INTO t VALUES (2000)");
        try (LogicalReplicationReader reader = db.reader().autoAcknowledge(false).build()) {
            Iterator<Transaction> txs = reader.transactions().iterator();
            Transaction first = txs.next();
            Iterator<ChangeEvent> events = first.events();
            for (int i = 0; i < 10; i++) {
                events.next();
            }
            Transaction second = txs.next();   // the other 90 of the first are skipped
            assertEquals(List.of(1000), ids(second));
            reader.acknowledge(first);
            reader.acknowledge(second);
            assertThrows(IllegalStateException.class, () -> reader.poll(Duration.ofMillis(1)),
                    "events and transactions do not mix on one reader");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (reader.flushedLsn() < second.endLsn() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(reader.flushedLsn() >= second.endLsn(), "the slot may move past the acknowledged transactions");
        }
        try (LogicalReplicationReader reader = db.reader().build()) {
            Transaction next = reader.transactions().iterator().next();
            assertEquals(List.of(2000), ids(next), "a new reader starts after the acknowledged transactions");
            assertThrows(IllegalStateException.class, reader::iterator);
        }
        db.dropSlot();
    }

    @Test
    void anInitialSnapshotIsOneTransactionBeforeTheStreamedOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "txsnap");
        db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT g FROM generate_series(1, 50) g",
                "CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        try (LogicalReplicationReader reader = db.reader().snapshot(dev.pgoutput.api.SnapshotMode.INITIAL)
                .snapshotState(dir.resolve("t.snapshot")).build()) {
            Iterator<Transaction> txs = reader.transactions().iterator();
            Transaction snapshot = txs.next();
            List<ChangeEvent> rows = list(snapshot);
            assertEquals(50, rows.size(), "every row, in one transaction that ends at the row marked last");
            assertEquals(rows.get(0).source().lsn(), snapshot.commitLsn(), "at the slot's consistent point");
            db.execute("INSERT INTO t VALUES (51)");
            Transaction streamed = txs.next();
            assertEquals(List.of(51), ids(streamed));
            assertTrue(streamed.commitLsn() > snapshot.commitLsn());
        }
        db.dropSlot();
    }

    @Test
    void anEventReaderCannotReadTransactionsToo() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "txmix");
        db.createPublicationAndSlot(null);
        try (LogicalReplicationReader reader = db.reader().build()) {
            assertNull(reader.poll(Duration.ofMillis(10)));
            IllegalStateException e = assertThrows(IllegalStateException.class, reader::transactions);
            assertTrue(e.getMessage().contains("read as events"), e.getMessage());
        }
        try (LogicalReplicationReader reader = db.reader().streaming(true).deliverUncommitted(true)
                .transactionOutcomes(o -> { }).build()) {
            assertThrows(IllegalStateException.class, reader::transactions);
        }
        db.dropSlot();
    }

    private static List<ChangeEvent> list(Transaction tx) {
        List<ChangeEvent> events = new ArrayList<>();
        tx.events().forEachRemaining(events::add);
        assertThrows(IllegalStateException.class, tx::events, "read once");
        return events;
    }

    private static List<Object> ids(Transaction tx) {
        List<Object> ids = new ArrayList<>();
        tx.events().forEachRemaining(e -> ids.add(e.after().get("id")));
        return ids;
    }
}
