package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Heartbeats in the live cluster, on a captured table that stays idle while other tables are written (they are not
 * published, so the stream carries nothing for them): the slot's {@code confirmed_flush_lsn} moves past the WAL they
 * wrote, heartbeat records keep coming with the prefix as their key, and {@code heartbeat.action.query} runs on
 * the database with them. It fails when heartbeat records pin the slot (a heartbeat the acknowledgement ledger
 * never lets through holds every later position back) or when the action query does not run.
 */
class HeartbeatIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    /** How long the slot may take to pass the other tables' WAL (a deadline for the wait, not a measurement). */
    private static final Duration ADVANCE_DEADLINE = Duration.ofSeconds(60);

    @Test
    void anIdleCapturedTableDoesNotHoldTheSlot() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "heartbeat")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, v text)",
                    "CREATE TABLE other (id serial PRIMARY KEY, v text)",
                    "CREATE TABLE beats (n serial PRIMARY KEY, at timestamptz DEFAULT now())");
            db.createPublication("public.items");
            String prefix = TestDatabase.unique("hb");
            String connector = "heartbeat-" + prefix;
            String slot = db.newSlot();
            Map<String, String> config = PgOutputConnectorIT.ourConfig(db, slot, prefix);
            config.put("heartbeat.interval.ms", "300");
            config.put("heartbeat.action.query", "INSERT INTO beats DEFAULT VALUES");
            CONNECT.startConnector(connector, config);
            try {
                db.awaitSlot(slot);
                db.execute("INSERT INTO items VALUES (1, 'the only change captured')");
                CONNECT.consume(1, prefix + ".public.items");
                for (int i = 0; i < 50; i++) {
                    db.execute("INSERT INTO other (v) SELECT repeat('x', 500) FROM generate_series(1, 20)");
                }
                long written = currentWalLsn(db);
                long confirmed = awaitConfirmedAtLeast(db, slot, written);
                assertTrue(confirmed >= written, "the slot stayed at " + confirmed + ", before the other tables' WAL "
                        + "end " + written);

                List<CapturedRecord> beats = CONNECT.consume(3, "__debezium-heartbeat." + prefix);
                for (CapturedRecord beat : beats) {
                    assertEquals(prefix, beat.keyStruct().getString("serverName"));
                    Struct value = beat.valueStruct();
                    assertTrue(value.getInt64("ts_ms") > 0, "heartbeat time: " + beat);
                }
                assertTrue(count(db, "beats") > 0, "heartbeat.action.query never ran");
                assertEquals(0, count(db, "items") - 1, "the captured table stayed as it was");
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    /** Waits until the slot's confirmed position reaches {@code lsn} or the deadline passes; gives the last one. */
    private static long awaitConfirmedAtLeast(TestDatabase db, String slot, long lsn) throws Exception {
        long deadline = System.nanoTime() + ADVANCE_DEADLINE.toNanos();
        long confirmed = confirmed(db, slot);
        while (confirmed < lsn && System.nanoTime() < deadline) {
            Thread.sleep(100);
            confirmed = confirmed(db, slot);
        }
        return confirmed;
    }

    private static long confirmed(TestDatabase db, String slot) throws SQLException {
        return single(db, "SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = '"
                + slot + "'");
    }

    private static long currentWalLsn(TestDatabase db) throws SQLException {
        return single(db, "SELECT (pg_current_wal_lsn() - '0/0')::bigint");
    }

    private static long count(TestDatabase db, String table) throws SQLException {
        return single(db, "SELECT count(*) FROM " + table);
    }

    private static long single(TestDatabase db, String sql) throws SQLException {
        try (var c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
