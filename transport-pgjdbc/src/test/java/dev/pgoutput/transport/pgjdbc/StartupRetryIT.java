package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReconnectPolicy;
import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.transport.pgjdbc.faults.TcpProxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code build()} waits out what may pass — a server that is not up yet, a slot still held by the previous
 * process — under the reconnect policy and within {@code startTimeout}, and still fails at once on what cannot
 * pass. A slot held for longer is reported with the holder's PID and client address.
 */
class StartupRetryIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @Test
    void aServerThatComesUpDuringBuildIsWaitedFor(PostgresServer server) throws Exception {
        Database db = Database.inOwnDatabase(server, "late");
        db.execute("CREATE TABLE late (id int PRIMARY KEY)");
        db.createPublicationAndSlot("late");
        int port = freePort();
        // Nothing listens on the port until the "server" comes up a second into build().
        CompletableFuture<TcpProxy> comingUp = CompletableFuture.supplyAsync(() -> {
            try {
                TimeUnit.SECONDS.sleep(1);
                return new TcpProxy(port, server.port());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (LogicalReplicationReader reader = db.reader().port(port).reconnect(Database.FAST_RETRY)
                .startTimeout(Duration.ofSeconds(30)).build()) {
            TcpProxy proxy = comingUp.join();
            try (proxy) {
                assertTrue(proxy.acceptedConnections() >= 1);
                db.execute("INSERT INTO late VALUES (1)");
                ChangeEvent event = reader.poll(Duration.ofSeconds(30));
                assertEquals(1, event.after().get("id"), "streams once started: " + event);
            }
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void startTimeoutBoundsTheWait(PostgresServer server) throws Exception {
        Database db = Database.on(server, "never");
        ReplicationConnectionException e = assertThrows(ReplicationConnectionException.class,
                () -> db.reader().port(freePort()).reconnect(Database.FAST_RETRY).startTimeout(Duration.ofSeconds(2))
                        .build().close());
        assertTrue(e.getMessage().contains("within startTimeout 2000 ms"), e.getMessage());
        assertTrue(e.getMessage().matches(".*\\((\\d+) attempts\\).*") , e.getMessage());

        // Under ReconnectPolicy.NONE, one attempt only.
        ReplicationConnectionException once = assertThrows(ReplicationConnectionException.class,
                () -> db.reader().port(freePort()).reconnect(ReconnectPolicy.NONE).startTimeout(Duration.ofSeconds(30))
                        .build().close());
        assertFalse(once.getMessage().contains("startTimeout"), once.getMessage());
    }

    @Test
    void permanentFailuresAreNotRetried(PostgresServer server) throws Exception {
        Database db = Database.on(server, "perm");
        db.execute("CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            ReplicationSetupException e = assertThrows(ReplicationSetupException.class, () -> db.reader()
                    .port(proxy.port()).reconnect(Database.FAST_RETRY).startTimeout(Duration.ofMinutes(5)).build().close());
            assertEquals(ReplicationSetupException.Problem.SLOT_MISSING, e.problem());
            assertEquals(1, proxy.acceptedConnections(), "a missing slot was retried");
        }
    }

    @Test
    void aSlotHeldByAnotherReaderIsWaitedForThenNamed(PostgresServer server) throws Exception {
        Database db = Database.inOwnDatabase(server, "held");
        db.execute("CREATE TABLE held (id int PRIMARY KEY)");
        db.createPublicationAndSlot("held");
        try {
            LogicalReplicationReader first = db.reader().build();
            awaitActive(db);
            // Held for good: build() gives up after its timeout and says who holds the slot.
            ReplicationConnectionException e = assertThrows(ReplicationConnectionException.class,
                    () -> db.reader().reconnect(Database.FAST_RETRY).startTimeout(Duration.ofSeconds(2)).build().close());
            assertTrue(e.getMessage().matches("(?s).*slot \"" + db.slot + "\" is in use by walsender PID \\d+ for "
                    + "127\\.0\\.0\\.1:\\d+ \\(application_name 'pgoutput-decoder'.*"), e.getMessage());

            // Let go a moment into build() (a rolling restart): the new reader takes over and streams.
            CompletableFuture<Void> released = CompletableFuture.runAsync(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(1500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                first.close();
            });
            try (LogicalReplicationReader second = db.reader().reconnect(Database.FAST_RETRY)
                    .startTimeout(Duration.ofSeconds(30)).build()) {
                released.join();
                db.execute("INSERT INTO held VALUES (7)");
                ChangeEvent event = second.poll(Duration.ofSeconds(30));
                assertEquals(7, event.after().get("id"), "the second reader streams: " + event);
            }
        } finally {
            db.dropSlot();
        }
    }

    private static void awaitActive(Database db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (var c = db.connect(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + db.slot + "'")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("slot " + db.slot + " never became active");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
