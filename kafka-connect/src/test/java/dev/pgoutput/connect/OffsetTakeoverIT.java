package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgoutput.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration path, both ways: Debezium 3.6.1 streams, its offsets are flushed, it is stopped, the same
 * connector (same name, same {@code topic.prefix}, same slot) is switched to our class and resumes from
 * Debezium's stored offsets; then back. Every change arrives, and duplicates stay within at-least-once's window:
 * here none, since the stored offsets say exactly what was processed (the count is logged and asserted).
 */
class OffsetTakeoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetTakeoverIT.class);

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long the worker may take to flush offsets (every second here) before the test fails. */
    private static final Duration OFFSET_FLUSH_DEADLINE = Duration.ofSeconds(30);

    private static final String DEBEZIUM = "io.debezium.connector.postgresql.PostgresConnector";

    @Test
    void debeziumToOursAndBack() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "takeover")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, v int)");
            db.createPublication("public.items");
            String prefix = TestDatabase.unique("tk");
            String connector = "takeover-" + prefix;
            String slot = db.newSlot();
            String topic = prefix + ".public.items";
            Map<String, String> debezium = DebeziumReferenceIT.debeziumConfig(db, slot, prefix);
            CONNECT.startConnector(connector, debezium);
            try {
                db.awaitSlot(slot);
                // Phase 1, Debezium: ids 1..60, in transactions of 1, 2 and 3 rows, two of them interleaved.
                workload(db, 1, 60);
                List<CapturedRecord> phase1 = CONNECT.consume(60, topic);
                Map<String, ?> dbzOffset = awaitStoredOffset(connector,
                        o -> lsnOf(o) == lastLsn(phase1));
                LOG.info("Debezium's stored offset after phase 1: {}", dbzOffset);
                assertTrue(dbzOffset.keySet().containsAll(List.of("lsn", "lsn_proc", "txId", "ts_usec", "messageType")),
                        "Debezium's keys: " + dbzOffset);
                CONNECT.stopConnector(connector);
                db.awaitSlotInactive(slot);

                // Phase 2, ours, same name, prefix and slot: ids 61..120.
                Map<String, String> ours = new TreeMap<>(debezium);
                ours.put("connector.class", PgOutputSourceConnector.class.getName());
                switchTo(connector, ours);
                workload(db, 61, 120);
                List<CapturedRecord> phase2 = awaitIds(topic, 120);
                Map<String, ?> ourOffset = awaitStoredOffset(connector,
                        o -> lsnOf(o) == lastLsn(phase2));
                LOG.info("Our stored offset after phase 2: {}", ourOffset);
                assertTrue(ourOffset.keySet().containsAll(dbzOffset.keySet()),
                        "our offset has every key Debezium wrote: ours " + ourOffset + ", Debezium's " + dbzOffset);
                int duplicatesIn = duplicates(phase2);
                CONNECT.stopConnector(connector);
                db.awaitSlotInactive(slot);

                // Phase 3, Debezium again: ids 121..180.
                switchTo(connector, debezium);
                workload(db, 121, 180);
                List<CapturedRecord> phase3 = awaitIds(topic, 180);
                int duplicatesBack = duplicates(phase3) - duplicatesIn;
                LOG.info("Takeover duplicates: Debezium -> ours {}, ours -> Debezium {}", duplicatesIn, duplicatesBack);
                assertEquals(0, duplicatesIn, "records repeated after Debezium -> ours: " + ids(phase2));
                assertEquals(0, duplicatesBack, "records repeated after ours -> Debezium: " + ids(phase3));
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    /** Configures the stopped connector with another class and resumes it. */
    private static void switchTo(String connector, Map<String, String> config) throws InterruptedException {
        CONNECT.cluster().configureConnector(connector, config);
        CONNECT.cluster().resumeConnector(connector);
        CONNECT.cluster().assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "not running");
    }

    /**
     * Inserts ids {@code from..to}: in transactions of one, two and three rows, and every tenth id in a transaction
     * that began before the previous one and commits after it (interleaved in the WAL).
     */
    static void workload(TestDatabase db, int from, int to) throws Exception {
        int id = from;
        int size = 1;
        while (id <= to) {
            int last = Math.min(to, id + size - 1);
            if (last - id >= 1 && id % 2 == 0) {
                try (var early = db.connect(); var late = db.connect()) {
                    early.setAutoCommit(false);
                    late.setAutoCommit(false);
                    early.createStatement().execute("INSERT INTO items VALUES (" + id + ", 0)");
                    for (int i = id + 1; i <= last; i++) {
                        late.createStatement().execute("INSERT INTO items VALUES (" + i + ", 0)");
                    }
                    late.commit();
                    early.commit();
                }
            } else {
                StringBuilder sql = new StringBuilder("INSERT INTO items VALUES ");
                for (int i = id; i <= last; i++) {
                    sql.append(i == id ? "" : ", ").append('(').append(i).append(", 0)");
                }
                db.execute(sql.toString());
            }
            id = last + 1;
            size = size % 3 + 1;
        }
    }

    /** Reads the topic until every id up to {@code maxId} is there; returns every record read. */
    private static List<CapturedRecord> awaitIds(String topic, int maxId) throws InterruptedException {
        long deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
        while (true) {
            List<CapturedRecord> records = CONNECT.consume(maxId, topic);
            long distinct = ids(records).stream().distinct().count();
            if (distinct >= maxId || System.nanoTime() > deadline) {
                for (int i = 1; i <= maxId; i++) {
                    assertTrue(ids(records).contains(i), "id " + i + " is missing: " + ids(records));
                }
                return records;
            }
            Thread.sleep(200);
        }
    }

    private static int duplicates(List<CapturedRecord> records) {
        List<Integer> ids = ids(records);
        return ids.size() - (int) ids.stream().distinct().count();
    }

    /** The inserted ids, from Debezium's envelope or from our records (whatever their value format is). */
    static List<Integer> ids(List<CapturedRecord> records) {
        List<Integer> ids = new ArrayList<>();
        for (CapturedRecord r : records) {
            if (r.isTombstone()) {
                continue;
            }
            ids.add(((Number) after(r).get("id")).intValue());
        }
        return ids;
    }

    private static Map<?, ?> after(CapturedRecord r) {
        Object value = r.value().value();
        if (value instanceof Struct s) {
            Struct after = s.getStruct("after");
            return Map.of("id", after.get("id"));
        }
        try {
            return JSON.readValue((String) value, Map.class).get("after") instanceof Map<?, ?> m ? m : Map.of();
        } catch (java.io.IOException e) {
            throw new AssertionError("value of " + r + " is neither an envelope nor JSON", e);
        }
    }

    /** The LSN of the last record consumed (from its source block). */
    private static long lastLsn(List<CapturedRecord> records) {
        CapturedRecord last = records.get(records.size() - 1);
        Object value = last.value().value();
        if (value instanceof Struct s) {
            return s.getStruct("source").getInt64("lsn");
        }
        try {
            return JSON.readTree((String) value).at("/source/lsn").asLong();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long lsnOf(Map<String, ?> offset) {
        return offset.get("lsn") instanceof Number n ? n.longValue() : -1;
    }

    /** Waits until the connector's one stored offset satisfies {@code until}; returns it. */
    static Map<String, ?> awaitStoredOffset(String connector, Predicate<Map<String, ?>> until)
            throws InterruptedException {
        long deadline = System.nanoTime() + OFFSET_FLUSH_DEADLINE.toNanos();
        List<ConnectorOffset> offsets = List.of();
        while (System.nanoTime() < deadline) {
            offsets = CONNECT.cluster().connectorOffsets(connector).offsets();
            if (offsets.size() == 1 && until.test(offsets.get(0).offset())) {
                return offsets.get(0).offset();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the stored offset of " + connector + " did not get there: " + offsets);
    }
}
