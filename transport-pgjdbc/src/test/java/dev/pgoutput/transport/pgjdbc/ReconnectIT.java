package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.EmbeddedPostgres;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.ShutdownMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transient failures under a running reader: the walsender is terminated, the server restarts. The
 * reader reconnects by itself, and the events it delivers are exactly the committed rows, each once.
 */
class ReconnectIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17).isolated();


    @Test
    void terminatedWalsenderBetweenAndInsideTransactions(EmbeddedPostgres server) throws Exception {
        Database db = Database.on(server, "term");
        db.execute("CREATE TABLE term (id int PRIMARY KEY, pad text)");
        db.createPublicationAndSlot("term");
        try (LogicalReplicationReader reader = db.reader().reconnect(Database.FAST_RETRY).bufferCapacity(64).build()) {
            db.execute("INSERT INTO term VALUES (1, 'x')");
            List<ChangeEvent> seen = new ArrayList<>(Database.take(reader, 1));

            db.terminateWalsender();              // between transactions
            db.execute("INSERT INTO term VALUES (2, 'x')");
            seen.addAll(Database.take(reader, 1));

            // One large transaction; cut the connection while its events are still arriving.
            db.execute("INSERT INTO term SELECT g, repeat('p', 200) FROM generate_series(3, 30002) g");
            seen.addAll(Database.take(reader, 2_000));
            db.terminateWalsender();
            seen.addAll(Database.take(reader, 28_000));
            Database.assertNoMoreEvents(reader, Duration.ofSeconds(1));

            Database.assertEachIdOnce(seen, 30_002);
            dev.pgoutput.api.ReaderMetrics metrics = reader.metrics();
            org.junit.jupiter.api.Assertions.assertTrue(metrics.reconnects() >= 2, "both losses reconnected: " + metrics);
            org.junit.jupiter.api.Assertions.assertNotNull(metrics.lastError(), "the loss is on record: " + metrics);
        } finally {
            db.dropSlot();
        }
    }

    @ParameterizedTest(name = "{0} shutdown")
    @EnumSource(ShutdownMode.class)
    void serverRestartUnderSteadyWrites(ShutdownMode mode, EmbeddedPostgres server) throws Exception {
        Database db = Database.on(server, "restart_" + mode.name().toLowerCase());
        String table = "rs_" + mode.name().toLowerCase();
        db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
        db.createPublicationAndSlot(table);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger nextId = new AtomicInteger(1);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                try (Connection c = server.connect(); Statement s = c.createStatement()) {
                    while (writing.get()) {
                        s.execute("INSERT INTO " + table + " VALUES (" + nextId.getAndIncrement() + ")");
                    }
                } catch (SQLException e) {
                    // The server is restarting: try again until it is back.
                    sleep(50);
                }
            }
        }, "writer");
        List<ChangeEvent> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        try (LogicalReplicationReader reader = db.reader().reconnect(Database.FAST_RETRY).build()) {
            // The application keeps consuming while the server restarts: a fast shutdown waits for
            // logical walsenders until their client confirms what it was sent.
            Thread consumer = new Thread(() -> {
                for (ChangeEvent e : reader) {
                    seen.add(e);
                }
            }, "consumer");
            consumer.start();
            writer.start();
            awaitSize(seen, 200);
            long restarted = System.nanoTime();
            server.restart(mode);
            long back = System.nanoTime();
            // The loss is noticed (a closed connection, not a failed write), and the reader reconnects.
            long deadline = back + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (reader.metrics().reconnects() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(reader.metrics().reconnects() >= 1, "the restart was noticed and the reader reconnected: "
                    + reader.metrics());
            // Noticed by reading (the end of the stream, a reset), not by a status update that failed to be
            // written seconds later: the restart is seen at once, whatever the status interval.
            String loss = reader.metrics().lastError();
            assertTrue(!loss.contains("writing to copy"), "the loss was noticed only by a failed write: " + loss);
            System.out.printf("[ReconnectIT] %s restart: the server was back after %d ms, the reader reconnected "
                    + "%d ms after that (%s)%n", mode, (back - restarted) / 1_000_000,
                    (System.nanoTime() - back) / 1_000_000, reader.metrics().lastError());
            awaitSize(seen, 400);
            writing.set(false);
            writer.join(30_000);
            int committed = count(server, table);
            awaitSize(seen, committed);
            Thread.sleep(1_000);
            reader.stop();
            consumer.join(10_000);
            Database.assertEachIdOnce(new ArrayList<>(seen), committed);
            assertTrue(committed >= 400, "committed " + committed);
        } finally {
            writing.set(false);
            writer.join(30_000);
            db.dropSlot();
        }
    }

    private static void awaitSize(List<ChangeEvent> seen, int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.size() < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + size + " events, got " + seen.size());
            }
            Thread.sleep(20);
        }
    }

    /** Every id from 1 to count arrived exactly once (ids of failed inserts never committed). */

    private static int count(EmbeddedPostgres server, String table) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
