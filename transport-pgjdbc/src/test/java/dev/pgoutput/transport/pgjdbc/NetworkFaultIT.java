package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.EmbeddedPostgres;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.transport.pgjdbc.faults.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The network between reader and server fails, through a loopback proxy: the connection is cut (both
 * sides closed) or blackholed (both sides open, nothing passes, nobody is told). The reader notices
 * within its receive timeout, reconnects through the proxy, and delivers every committed row once.
 *
 * <p>After a blackhole the server still believes the old walsender is connected and keeps the slot
 * active for it until {@code wal_sender_timeout} ends it; this server runs with 4 s, and the reader
 * retries "slot is active" as transient until then.
 *
 * <p>pgjdbc's own replication stream is not used (see {@code CopyBothStream}); these tests also cover what
 * its open issues are about on the version we pin: a read timeout that falls in the middle of a frame
 * (pgjdbc #3340, #4356) fails the connection, which is then reconnected, instead of corrupting the
 * stream ({@link #blackholeInsideALargeTransaction}); and the only socket timeout is the receive timeout
 * itself, never a short polling timeout, so the START_REPLICATION handshake is not cut short (#4354).
 */
class NetworkFaultIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17).withSetting("wal_sender_timeout", "4s").isolated();

    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void cutConnectionBetweenAndInsideTransactions(EmbeddedPostgres server) throws Exception {
        Database db = Database.on(server, "cut");
        db.execute("CREATE TABLE cut (id int PRIMARY KEY, pad text)");
        db.createPublicationAndSlot("cut");
        try (TcpProxy proxy = new TcpProxy(server.port());
             LogicalReplicationReader reader = throughProxy(db, proxy).build()) {
            db.execute("INSERT INTO cut VALUES (1, 'x')");
            List<ChangeEvent> seen = new ArrayList<>(Database.take(reader, 1));

            proxy.cutAll();
            db.execute("INSERT INTO cut VALUES (2, 'x')");
            seen.addAll(Database.take(reader, 1));

            db.execute("INSERT INTO cut SELECT g, repeat('p', 200) FROM generate_series(3, 20002) g");
            seen.addAll(Database.take(reader, 2_000));
            proxy.cutAll();
            seen.addAll(Database.take(reader, 18_000));
            Database.assertNoMoreEvents(reader, Duration.ofSeconds(1));

            Database.assertEachIdOnce(seen, 20_002);
            assertTrue(proxy.acceptedConnections() >= 3, "reconnected twice: " + proxy.acceptedConnections());
        } finally {
            awaitSlotReleased(db);
            db.dropSlot();
        }
    }

    @Test
    void blackholeWhileIdleIsNoticedWithinTheReceiveTimeout(EmbeddedPostgres server) throws Exception {
        Database db = Database.on(server, "hole");
        db.execute("CREATE TABLE hole (id int PRIMARY KEY)");
        db.createPublicationAndSlot("hole");
        try (TcpProxy proxy = new TcpProxy(server.port());
             LogicalReplicationReader reader = throughProxy(db, proxy).build()) {
            db.execute("INSERT INTO hole VALUES (1)");
            List<ChangeEvent> seen = new ArrayList<>(Database.take(reader, 1));
            // Idle for longer than the receive timeout first: a quiet but healthy server must not be
            // mistaken for a dead one (the reader's ping gets an answer).
            Thread.sleep(RECEIVE_TIMEOUT.multipliedBy(2).toMillis());
            assertEquals(1, proxy.acceptedConnections(), "reconnected although the connection was healthy");

            long blackholedAt = System.nanoTime();
            proxy.blackholeAll();
            db.execute("INSERT INTO hole VALUES (2)");
            Duration noticed = awaitNewConnection(proxy, 2, Duration.ofSeconds(20), blackholedAt);
            System.out.println("[NetworkFaultIT] blackhole noticed and reconnected after " + noticed.toMillis() + " ms");
            // Noticed after the receive timeout; allow a second for the idle loop and the first retry.
            assertTrue(noticed.compareTo(RECEIVE_TIMEOUT.plusSeconds(1)) <= 0,
                    "noticed the blackhole after " + noticed.toMillis() + " ms, receive timeout "
                            + RECEIVE_TIMEOUT.toMillis() + " ms");
            seen.addAll(Database.take(reader, 1));
            Database.assertNoMoreEvents(reader, Duration.ofSeconds(1));
            Database.assertEachIdOnce(seen, 2);
        } finally {
            awaitSlotReleased(db);
            db.dropSlot();
        }
    }

    @Test
    void blackholeInsideALargeTransaction(EmbeddedPostgres server) throws Exception {
        Database db = Database.on(server, "holetx");
        db.execute("CREATE TABLE holetx (id int PRIMARY KEY, pad text)");
        db.createPublicationAndSlot("holetx");
        try (TcpProxy proxy = new TcpProxy(server.port());
             LogicalReplicationReader reader = throughProxy(db, proxy).bufferCapacity(64).build()) {
            db.execute("INSERT INTO holetx SELECT g, repeat('p', 200) FROM generate_series(1, 20000) g");
            List<ChangeEvent> seen = new ArrayList<>(Database.take(reader, 2_000));
            // The blackhole falls wherever the stream is: between frames or in the middle of one.
            proxy.blackholeAll();
            seen.addAll(Database.take(reader, 18_000));
            Database.assertNoMoreEvents(reader, Duration.ofSeconds(1));
            Database.assertEachIdOnce(seen, 20_000);
            assertTrue(proxy.acceptedConnections() >= 2, "reconnected: " + proxy.acceptedConnections());
        } finally {
            awaitSlotReleased(db);
            db.dropSlot();
        }
    }

    private static LogicalReplicationReader.Builder throughProxy(Database db, TcpProxy proxy) {
        return db.reader()
                .host("127.0.0.1").port(proxy.port())
                .statusInterval(Duration.ofMillis(500))
                .receiveTimeout(RECEIVE_TIMEOUT)
                .reconnect(Database.FAST_RETRY);
    }

    /** Waits until the proxy has accepted {@code count} connections; returns the time since {@code since}. */
    private static Duration awaitNewConnection(TcpProxy proxy, int count, Duration limit, long since)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (proxy.acceptedConnections() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the reader did not reconnect within " + limit);
            }
            Thread.sleep(10);
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /** A blackholed walsender holds the slot until wal_sender_timeout ends it; dropping needs it free. */
    private static void awaitSlotReleased(Database db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (var c = db.server.connect(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                         + db.slot + "' AND active")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
    }
}
