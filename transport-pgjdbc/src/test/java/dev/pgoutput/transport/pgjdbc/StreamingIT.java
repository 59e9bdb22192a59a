package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The event contents for each kind of change, against a real PostgreSQL 17. */
class StreamingIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @Test
    void insertUpdateDeleteCarryValuesAndSource(PostgresServer server) throws Exception {
        Database db = Database.on(server, "crud");
        String table = "crud_" + db.slot.substring(5);
        db.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text, price numeric(12,2), "
                + "born date, seen timestamptz, tags text[], flag boolean, note varchar(20))");
        db.createPublicationAndSlot(table);
        try (LogicalReplicationReader reader = db.reader().build()) {
            db.execute("INSERT INTO " + table + " VALUES (1, 'Zoë ☃', 12.50, '2000-02-29', "
                            + "'2024-03-01 13:45:00.123456+02', '{a,\"b c\",NULL}', true, NULL)",
                    "UPDATE " + table + " SET name = 'Z' WHERE id = 1",
                    "UPDATE " + table + " SET id = 2 WHERE id = 1",
                    "DELETE FROM " + table + " WHERE id = 2");
            List<ChangeEvent> events = Database.take(reader, 4);

            ChangeEvent insert = events.get(0);
            assertEquals(Op.CREATE, insert.op());
            assertNull(insert.before());
            Map<String, Object> after = insert.after();
            assertEquals(List.of("id", "name", "price", "born", "seen", "tags", "flag", "note"), List.copyOf(after.keySet()));
            assertEquals(1L, after.get("id"));
            assertEquals("Zoë ☃", after.get("name"));
            assertEquals(new BigDecimal("12.50"), after.get("price"));
            assertEquals(LocalDate.of(2000, 2, 29), after.get("born"));
            assertEquals(OffsetDateTime.of(2024, 3, 1, 11, 45, 0, 123_456_000, ZoneOffset.UTC), after.get("seen"));
            assertEquals(java.util.Arrays.asList("a", "b c", null), after.get("tags"));
            assertEquals(Boolean.TRUE, after.get("flag"));
            assertTrue(after.containsKey("note"));
            assertNull(after.get("note"));
            assertEquals("public." + table, insert.tableName());
            assertEquals("public", insert.source().schema());
            assertEquals(server.database(), insert.source().db());
            assertEquals("pgoutput-decoder", insert.source().connector());
            assertTrue(insert.source().lsn() > 0);
            assertTrue(insert.source().txId() > 0);

            ChangeEvent update = events.get(1);
            assertEquals(Op.UPDATE, update.op());
            assertNull(update.before(), "DEFAULT identity sends no old key when the key did not change");
            assertEquals("Z", update.after().get("name"));

            ChangeEvent keyChange = events.get(2);
            assertEquals(Map.of("id", 1L), keyChange.before(), "old key when the key changed");
            assertEquals(2L, keyChange.after().get("id"));

            ChangeEvent delete = events.get(3);
            assertEquals(Op.DELETE, delete.op());
            assertEquals(Map.of("id", 2L), delete.before());
            assertNull(delete.after());

            assertTrue(insert.source().commitLsn() < update.source().commitLsn());
            assertTrue(update.source().commitLsn() < keyChange.source().commitLsn());
            Database.assertNoMoreEvents(reader, java.time.Duration.ofMillis(500));
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void replicaIdentityFullGivesTheWholeOldRowAndFillsUnchangedToast(PostgresServer server) throws Exception {
        Database db = Database.on(server, "full");
        String full = "full_" + db.slot.substring(5);
        String dflt = "dflt_" + db.slot.substring(5);
        db.execute("CREATE TABLE " + full + " (id int PRIMARY KEY, big text, n int)",
                "ALTER TABLE " + full + " REPLICA IDENTITY FULL",
                "CREATE TABLE " + dflt + " (id int PRIMARY KEY, big text, n int)");
        db.createPublicationAndSlot(full + ", " + dflt);
        // An incompressible value well over the TOAST threshold is stored out of line.
        String bigSql = "(SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g)";
        String big;
        try (Connection c = server.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(bigSql)) {
            rs.next();
            big = rs.getString(1);
        }
        try (LogicalReplicationReader reader = db.reader().build()) {
            db.execute("INSERT INTO " + full + " VALUES (1, " + bigSql + ", 1)",
                    "INSERT INTO " + dflt + " VALUES (1, " + bigSql + ", 1)",
                    "UPDATE " + full + " SET n = 2",
                    "UPDATE " + dflt + " SET n = 2",
                    "DELETE FROM " + full);
            List<ChangeEvent> events = Database.take(reader, 5);

            ChangeEvent fullUpdate = events.get(2);
            assertEquals(Map.of("id", 1, "big", big, "n", 1), Map.copyOf(fullUpdate.before()));
            assertEquals(big, fullUpdate.after().get("big"), "unchanged TOAST is filled from the old row");
            assertEquals(2, fullUpdate.after().get("n"));

            ChangeEvent defaultUpdate = events.get(3);
            assertSame(UnchangedToast.VALUE, defaultUpdate.after().get("big"),
                    "without the old row an unchanged TOAST value is the documented marker, never null");
            assertEquals(2, defaultUpdate.after().get("n"));

            ChangeEvent fullDelete = events.get(4);
            assertEquals(Map.of("id", 1, "big", big, "n", 2), Map.copyOf(fullDelete.before()));
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void truncateAndTableFilter(PostgresServer server) throws Exception {
        Database db = Database.on(server, "filter");
        String kept = "kept_" + db.slot.substring(5);
        String skipped = "skipped_" + db.slot.substring(5);
        db.execute("CREATE TABLE " + kept + " (id int PRIMARY KEY)", "CREATE TABLE " + skipped + " (id int PRIMARY KEY)");
        db.createPublicationAndSlot(kept + ", " + skipped);
        try (LogicalReplicationReader reader = db.reader().tables("public." + kept).build()) {
            db.execute("INSERT INTO " + skipped + " VALUES (1)",
                    "INSERT INTO " + kept + " VALUES (1)",
                    "TRUNCATE " + kept + ", " + skipped,
                    "TRUNCATE " + kept + " RESTART IDENTITY CASCADE");
            List<ChangeEvent> events = Database.take(reader, 3);
            assertEquals(Op.CREATE, events.get(0).op());
            assertNull(events.get(0).truncation());
            assertEquals("public." + kept, events.get(0).tableName());
            assertEquals(Op.TRUNCATE, events.get(1).op());
            assertEquals("public." + kept, events.get(1).tableName());
            assertEquals(new dev.pgoutput.api.Truncation(false, false), events.get(1).truncation());
            assertEquals(new dev.pgoutput.api.Truncation(true, true), events.get(2).truncation());
            Database.assertNoMoreEvents(reader, java.time.Duration.ofMillis(500));
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void skippedOperationsAreNotDeliveredButTheSlotMovesPastThem(PostgresServer server) throws Exception {
        Database db = Database.on(server, "skipops");
        String table = "skipops_" + db.slot.substring(5);
        db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v int)");
        db.createPublicationAndSlot(table);
        try {
            try (LogicalReplicationReader reader = db.reader()
                    .skippedOperations(Op.UPDATE, Op.TRUNCATE).build()) {
                db.execute("INSERT INTO " + table + " VALUES (1, 1)",
                        "UPDATE " + table + " SET v = 2 WHERE id = 1",
                        "UPDATE " + table + " SET v = 3 WHERE id = 1",
                        "DELETE FROM " + table + " WHERE id = 1",
                        "TRUNCATE " + table,
                        "INSERT INTO " + table + " VALUES (2, 1)");
                List<ChangeEvent> events = Database.take(reader, 3);
                assertEquals(List.of(Op.CREATE, Op.DELETE, Op.CREATE), events.stream().map(ChangeEvent::op).toList());
                Database.assertNoMoreEvents(reader, java.time.Duration.ofMillis(500));
            }
            // Everything, the skipped transactions too, was handled: a new reader starts after them.
            try (LogicalReplicationReader reader = db.reader().build()) {
                Database.assertNoMoreEvents(reader, java.time.Duration.ofSeconds(1));
            }
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void iterationEndsAfterStop(PostgresServer server) throws Exception {
        Database db = Database.on(server, "stop");
        String table = "stop_" + db.slot.substring(5);
        db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
        db.createPublicationAndSlot(table);
        try (LogicalReplicationReader reader = db.reader().build()) {
            db.execute("INSERT INTO " + table + " VALUES (1)", "INSERT INTO " + table + " VALUES (2)");
            int seen = 0;
            for (ChangeEvent e : reader) {
                seen++;
                if (seen == 2) {
                    reader.stop();
                }
            }
            assertEquals(2, seen);
            assertNull(reader.poll(java.time.Duration.ofMillis(100)));
        } finally {
            db.dropSlot();
        }
    }
}
