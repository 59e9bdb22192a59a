package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.testkit.EmbeddedPostgres;
import dev.pgoutput.testkit.ShutdownMode;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fast shutdown of the server while the application holds events it has not acknowledged: a logical
 * walsender ends only once its client reports everything it was sent as replicated, so a reader that answered
 * with its acknowledged position would hold the shutdown until {@code wal_sender_timeout} (here 10 minutes) or
 * until {@code pg_ctl}'s wait ran out and the server was killed. The reader answers the shutdown's ping with
 * what it received and no flush position, which the server accepts, so the server stops cleanly at once — and
 * the slot has confirmed nothing the application did not acknowledge.
 */
class ServerShutdownIT {

    @Test
    void aPausedApplicationDoesNotHoldTheShutdown() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(17)
                .setting("wal_sender_timeout", "10min").startupTimeout(Duration.ofSeconds(20)).start()) {
            Database db = Database.on(server, "shutdown");
            db.execute("CREATE TABLE shutdown (id int PRIMARY KEY)");
            db.createPublicationAndSlot("shutdown");
            try (LogicalReplicationReader reader = db.reader().autoAcknowledge(false).reconnect(Database.FAST_RETRY)
                    .statusInterval(Duration.ofMillis(200)).build()) {
                for (int id = 1; id <= 3; id++) {
                    db.execute("INSERT INTO shutdown VALUES (" + id + ")");
                }
                List<ChangeEvent> events = Database.take(reader, 3);
                reader.acknowledge(events.get(0).source().lsn());   // the first transaction only
                awaitConfirmedPast(db, events.get(0).source().lsn());
                long acknowledged = confirmedFlush(db);

                // The application now sits on events 2 and 3 and does not ask for more.
                long begin = System.nanoTime();
                server.restart(ShutdownMode.FAST);
                long stoppedAndBack = (System.nanoTime() - begin) / 1_000_000;
                String log = Files.readString(server.logFile());
                String lastStart = log.substring(log.lastIndexOf("database system was"));
                assertTrue(lastStart.startsWith("database system was shut down at"),
                        "the server stopped cleanly instead of being killed: …" + lastStart.lines().findFirst());
                assertFalse(lastStart.contains("automatic recovery in progress"), lastStart);
                System.out.printf("[ServerShutdownIT] fast shutdown and start with a paused application: %d ms%n",
                        stoppedAndBack);

                assertEquals(acknowledged, confirmedFlush(db), "the slot confirmed nothing unacknowledged");
                // The second transaction begins where the first one's commit record ends, at the earliest.
                assertTrue(confirmedFlush(db) <= events.get(1).source().lsn(), "not past the held events");

                // The reader reconnects; what it had delivered is not delivered twice, and it goes on.
                db.execute("INSERT INTO shutdown VALUES (4)");
                List<ChangeEvent> after = Database.take(reader, 1);
                assertEquals(4, after.get(0).after().get("id"), "the next change, not a repeat: " + after);
                reader.acknowledge();
                awaitConfirmedPast(db, after.get(0).source().lsn());
            } finally {
                db.dropSlot();
            }
        }
    }

    private static void awaitConfirmedPast(Database db, long lsn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (confirmedFlush(db) <= lsn) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the slot did not confirm past " + Lsn.format(lsn));
            }
            Thread.sleep(20);
        }
    }

    private static long confirmedFlush(Database db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '"
                     + db.slot + "'")) {
            assertTrue(rs.next());
            return Lsn.parse(rs.getString(1));
        }
    }
}
