package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a new reader on the same slot gets, depending on what the previous one acknowledged. */
class AcknowledgementIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    private static List<Object> ids(List<ChangeEvent> events) {
        return events.stream().map(e -> e.after().get("id")).toList();
    }

    @Test
    void unacknowledgedEventsComeAgainAndAcknowledgedOnesDoNot(PostgresServer server) throws Exception {
        Database db = Database.on(server, "ack");
        String table = "ack_" + db.slot.substring(5);
        db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
        db.createPublicationAndSlot(table);
        try {
            db.execute("INSERT INTO " + table + " VALUES (1)", "INSERT INTO " + table + " VALUES (2)",
                    "INSERT INTO " + table + " VALUES (3)");

            try (LogicalReplicationReader first = db.reader().autoAcknowledge(false).build()) {
                assertEquals(List.of(1, 2, 3), ids(Database.take(first, 3)));
                // stops without acknowledging anything
            }
            try (LogicalReplicationReader second = db.reader().autoAcknowledge(false).build()) {
                List<ChangeEvent> again = Database.take(second, 3);
                assertEquals(List.of(1, 2, 3), ids(again), "nothing acknowledged, so everything comes again");
                second.acknowledge(again.get(1).source().lsn());
                assertTrue(second.flushedLsn() > 0);
            }
            try (LogicalReplicationReader third = db.reader().autoAcknowledge(false).build()) {
                List<ChangeEvent> rest = Database.take(third, 1);
                assertEquals(List.of(3), ids(rest), "the first two were acknowledged");
                third.acknowledge();
            }
            assertTrue(confirmedFlush(server, db.slot) > 0);
            try (LogicalReplicationReader fourth = db.reader().autoAcknowledge(false).build()) {
                Database.assertNoMoreEvents(fourth, Duration.ofSeconds(1));
                db.execute("INSERT INTO " + table + " VALUES (4)");
                assertEquals(List.of(4), ids(Database.take(fourth, 1)));
            }
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void autoAcknowledgeCountsAnEventOnceTheNextIsRequested(PostgresServer server) throws Exception {
        Database db = Database.on(server, "auto");
        String table = "auto_" + db.slot.substring(5);
        db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
        db.createPublicationAndSlot(table);
        try {
            db.execute("INSERT INTO " + table + " VALUES (1)", "INSERT INTO " + table + " VALUES (2)");
            try (LogicalReplicationReader reader = db.reader().build()) {
                Database.take(reader, 2);
                // The second event is not yet handled: the application has not asked for another.
            }
            try (LogicalReplicationReader reader = db.reader().build()) {
                assertEquals(List.of(2), ids(Database.take(reader, 1)));
                // Asking again (and timing out) acknowledges event 2.
                Database.assertNoMoreEvents(reader, Duration.ofMillis(300));
            }
            try (LogicalReplicationReader reader = db.reader().build()) {
                Database.assertNoMoreEvents(reader, Duration.ofSeconds(1));
            }
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void idleSlotFollowsTheServerWalEnd(PostgresServer server) throws Exception {
        Database db = Database.on(server, "idle");
        String table = "idle_" + db.slot.substring(5);
        String other = "other_" + db.slot.substring(5);
        db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)", "CREATE TABLE " + other + " (id int)");
        db.createPublicationAndSlot(table);
        try (LogicalReplicationReader reader = db.reader().statusInterval(Duration.ofMillis(200)).build()) {
            long before = confirmedFlush(server, db.slot);
            // WAL grows, but nothing published changes.
            db.execute("INSERT INTO " + other + " SELECT generate_series(1, 1000)");
            long walNow = currentWal(server);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (confirmedFlush(server, db.slot) < walNow && System.nanoTime() < deadline) {
                assertEquals(null, reader.poll(Duration.ofMillis(200)));
            }
            long after = confirmedFlush(server, db.slot);
            assertTrue(after >= walNow, "confirmed_flush_lsn " + Lsn.format(after) + " should reach "
                    + Lsn.format(walNow) + " (was " + Lsn.format(before) + ")");
        } finally {
            db.dropSlot();
        }
    }

    static long confirmedFlush(PostgresServer server, String slot) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    private static long currentWal(PostgresServer server) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }
}
