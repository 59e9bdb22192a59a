package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pgoutput.task.split=tables} in the cluster: with {@code tasks.max=2} over four tables two tasks run, each
 * on its own slot and publication, every row arrives once and in its table's order (also from transactions over
 * the tables of both tasks), each task's offsets are stored under its own partition and each slot advances; without
 * the split {@code tasks.max=2} runs one task, as Debezium; validate() reports a bad value and a changed assignment.
 */
class TaskSplitIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    /** How long the worker may take to store offsets and confirm the slots (every second here). */
    private static final Duration FLUSH_DEADLINE = Duration.ofSeconds(60);

    private static final List<String> TABLES = List.of("t1", "t2", "t3", "t4");
    private static final int ROWS = 20;
    private static final int UPDATES = 5;

    private static Map<String, String> splitConfig(TestDatabase db, String slot, String prefix) {
        Map<String, String> config = PgOutputConnectorIT.ourConfig(db, slot, prefix);
        config.put("tasks.max", "2");
        config.put("pgoutput.task.split", "tables");
        config.put("snapshot.mode", "no_data");
        return config;
    }

    private static void createTables(TestDatabase db) throws SQLException {
        for (String t : TABLES) {
            db.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, v int NOT NULL)");
        }
        db.createPublication(TABLES.stream().map(t -> "public." + t).collect(Collectors.joining(", ")));
    }

    @Test
    void twoTasksSplitFourTablesEachRowOnceInTableOrder() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "split")) {
            createTables(db);
            String prefix = TestDatabase.unique("split");
            String connector = "pgoutput-" + prefix;
            String slot = db.newSlot();
            List<String> slots = List.of(slot + "_0", slot + "_1");
            slots.forEach(db::dropOnClose);
            CONNECT.startConnector(connector, splitConfig(db, slot, prefix), 2);
            try {
                slots.forEach(s -> await(() -> db.awaitSlot(s)));
                // Sorted and dealt round-robin: t1, t3 to task 0, t2, t4 to task 1.
                assertEquals(List.of("public.t1", "public.t3"), published(db, db.publication + "_0"));
                assertEquals(List.of("public.t2", "public.t4"), published(db, db.publication + "_1"));
                assertFalse(slotExists(db, slot), "the unsplit slot is not created");
                Map<String, Long> before = confirmed(db, slots);

                // Each transaction writes all four tables, so each is split between the two tasks.
                try (Connection c = db.connect()) {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        for (int id = 1; id <= ROWS; id++) {
                            for (String t : TABLES) {
                                s.execute("INSERT INTO " + t + " VALUES (" + id + ", 0)");
                            }
                            c.commit();
                        }
                        for (int u = 1; u <= UPDATES; u++) {
                            for (String t : TABLES) {
                                s.execute("UPDATE " + t + " SET v = " + u + " WHERE id = 1");
                            }
                            c.commit();
                        }
                    }
                }

                String[] topics = TABLES.stream().map(t -> prefix + ".public." + t).toArray(String[]::new);
                List<CapturedRecord> records = CONNECT.consume(TABLES.size() * (ROWS + UPDATES), topics);
                assertEquals(TABLES.size() * (ROWS + UPDATES), records.size(), "each change once: " + records);
                Map<String, List<String>> byTopic = new TreeMap<>();
                Map<String, Set<String>> taskIds = new TreeMap<>();
                for (CapturedRecord r : records) {
                    Struct value = r.valueStruct();
                    Struct after = value.getStruct("after");
                    byTopic.computeIfAbsent(r.topic(), k -> new ArrayList<>())
                            .add(value.get("op") + ":" + after.get("id") + "=" + after.get("v"));
                    taskIds.computeIfAbsent(r.topic(), k -> new java.util.TreeSet<>())
                            .add(String.valueOf(r.headers().lastWithName("__debezium.context.taskId").value()));
                }
                List<String> expected = new ArrayList<>();
                for (int id = 1; id <= ROWS; id++) {
                    expected.add("c:" + id + "=0");
                }
                for (int u = 1; u <= UPDATES; u++) {
                    expected.add("u:1=" + u);
                }
                for (String topic : topics) {
                    assertEquals(expected, byTopic.get(topic), "every row once, in the table's order, on " + topic);
                }
                assertEquals(Map.of(topics[0], Set.of("0"), topics[1], Set.of("1"), topics[2], Set.of("0"),
                        topics[3], Set.of("1")), taskIds, "each table written by the task it is assigned to");

                awaitOffsetsAndSlots(db, connector, prefix, slots, before);
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    @Test
    void withSnapshotModeInitialEachTaskCopiesItsOwnTables() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "splitsnap")) {
            createTables(db);
            for (String t : TABLES) {
                db.execute("INSERT INTO " + t + " VALUES (1, 0), (2, 0)");
            }
            String prefix = TestDatabase.unique("splitsnap");
            String connector = "pgoutput-" + prefix;
            String slot = db.newSlot();
            List.of(slot + "_0", slot + "_1").forEach(db::dropOnClose);
            Map<String, String> config = splitConfig(db, slot, prefix);
            config.put("snapshot.mode", "initial");
            CONNECT.startConnector(connector, config, 2);
            try {
                db.awaitSlot(slot + "_0");
                db.awaitSlot(slot + "_1");
                for (String t : TABLES) {
                    db.execute("INSERT INTO " + t + " VALUES (3, 0)");
                }
                String[] topics = TABLES.stream().map(t -> prefix + ".public." + t).toArray(String[]::new);
                List<CapturedRecord> records = CONNECT.consume(TABLES.size() * 3, topics);
                Map<String, List<String>> byTopic = new TreeMap<>();
                for (CapturedRecord r : records) {
                    byTopic.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r.valueStruct().get("op") + ":"
                            + r.valueStruct().getStruct("after").get("id"));
                }
                for (String topic : topics) {
                    assertEquals(List.of("r:1", "r:2", "c:3"), byTopic.get(topic), "copied once, then streamed: "
                            + topic);
                }
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    /** Both partitions stored with Debezium's keys, and both slots confirmed past where they were. */
    private static void awaitOffsetsAndSlots(TestDatabase db, String connector, String prefix, List<String> slots,
            Map<String, Long> before) throws Exception {
        long deadline = System.nanoTime() + FLUSH_DEADLINE.toNanos();
        Map<String, Long> after = confirmed(db, slots);
        List<ConnectorOffset> offsets = CONNECT.cluster().connectorOffsets(connector).offsets();
        while (System.nanoTime() < deadline
                && !(offsets.size() == 2 && slots.stream().allMatch(s -> after.get(s) > before.get(s)))) {
            Thread.sleep(200);
            after.putAll(confirmed(db, slots));
            offsets = CONNECT.cluster().connectorOffsets(connector).offsets();
        }
        assertEquals(Set.of(Map.of("server", prefix, "slot", slots.get(0)), Map.of("server", prefix, "slot",
                slots.get(1))), offsets.stream().map(ConnectorOffset::partition).collect(Collectors.toSet()),
                "one source partition per task: " + offsets);
        for (ConnectorOffset o : offsets) {
            assertTrue(o.offset().keySet().containsAll(Set.of("lsn", "lsn_proc", "txId", "messageType")),
                    "Debezium's offset keys: " + o);
        }
        for (String s : slots) {
            assertTrue(after.get(s) > before.get(s), "slot " + s + " advanced: " + before + " -> " + after);
        }
    }

    @Test
    void aTableAddedToThePublicationFailsTheTaskWhoseTablesChange() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "splitchg")) {
            createTables(db);
            String prefix = TestDatabase.unique("splitchg");
            String connector = "pgoutput-" + prefix;
            String slot = db.newSlot();
            List.of(slot + "_0", slot + "_1").forEach(db::dropOnClose);
            CONNECT.startConnector(connector, splitConfig(db, slot, prefix), 2);
            try {
                db.awaitSlot(slot + "_0");
                db.awaitSlot(slot + "_1");
                // t5 sorts last: the new assignment is [t1, t3, t5], [t2, t4], so task 0's tables change.
                db.execute("CREATE TABLE t5 (id int PRIMARY KEY)", "ALTER PUBLICATION " + db.publication
                        + " ADD TABLE t5");
                // A restart makes the connector compute the task configurations again.
                CONNECT.cluster().restartConnectorAndTasks(connector, false, true, false);
                CONNECT.cluster().assertions().assertConnectorIsRunningAndNumTasksHaveFailed(connector, 2, 1,
                        "task 0 did not fail");
                var failed = CONNECT.cluster().connectorStatus(connector).tasks().stream()
                        .filter(t -> "FAILED".equals(t.state())).toList();
                assertEquals(List.of(0), failed.stream().map(t -> t.id()).toList(), "task 0 failed: " + failed);
                assertTrue(failed.get(0).trace().contains("the table assignment changed"), failed.get(0).trace());
                assertEquals(List.of("public.t1", "public.t3"), published(db, db.publication + "_0"),
                        "the failed task's publication is left as it was");
                db.execute("INSERT INTO t2 VALUES (1, 0)");
                assertEquals(1, CONNECT.consume(1, prefix + ".public.t2").size(), "task 1 goes on streaming");
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    @Test
    void withoutTheSplitTasksMaxTwoRunsOneTaskOnTheSlot() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "nosplit")) {
            createTables(db);
            String prefix = TestDatabase.unique("nosplit");
            String connector = "pgoutput-" + prefix;
            String slot = db.newSlot();
            Map<String, String> config = splitConfig(db, slot, prefix);
            config.remove("pgoutput.task.split");
            CONNECT.startConnector(connector, config, 1);
            try {
                db.awaitSlot(slot);
                db.execute("INSERT INTO t1 VALUES (1, 0)", "INSERT INTO t2 VALUES (1, 0)");
                List<CapturedRecord> records = CONNECT.consume(2, prefix + ".public.t1", prefix + ".public.t2");
                assertEquals(2, records.size(), records.toString());
                assertFalse(slotExists(db, slot + "_0"), "no split slot");
                List<ConnectorOffset> offsets = awaitOffsets(connector);
                assertEquals(List.of(Map.of("server", prefix)), offsets.stream().map(ConnectorOffset::partition)
                        .toList(), "Debezium's partition");
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    @Test
    void validationReportsTheSplitByName() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "splitval")) {
            createTables(db);
            String prefix = TestDatabase.unique("sv");
            Map<String, String> config = splitConfig(db, db.newSlot(), prefix);
            assertEquals(Map.of(), errors(config), "a valid split");

            config.put("pgoutput.task.split", "columns");
            assertEquals(Set.of("pgoutput.task.split"), errors(config).keySet(), "a bad value, by name");

            config.put("pgoutput.task.split", "tables");
            config.put("provide.transaction.metadata", "true");
            assertEquals(Set.of("pgoutput.task.split"), errors(config).keySet(), "not with transaction metadata");
            config.remove("provide.transaction.metadata");

            // A publication of a former split with other tables: the assignment changed.
            db.execute("CREATE PUBLICATION " + db.publication + "_1 FOR TABLE t2");
            Map<String, List<String>> errors = errors(config);
            assertEquals(Set.of("pgoutput.task.split"), errors.keySet(), errors.toString());
            assertTrue(errors.get("pgoutput.task.split").get(0).contains("assignment changed"), errors.toString());
        }
    }

    @Test
    void validationGivesTheSqlWhenTheUserMayNotCreateThePublications() throws Exception {
        String role = TestDatabase.unique("splitter");
        try (TestDatabase db = TestDatabase.create(PG.server(), "splitpriv")) {
            createTables(db);
            // A replication user that neither owns the tables nor may create in the database.
            db.execute("CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'secret'",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
            Map<String, String> config = splitConfig(db, db.newSlot(), TestDatabase.unique("sp"));
            config.put("database.user", role);
            config.put("database.password", "secret");
            Map<String, List<String>> errors = errors(config);
            assertEquals(Set.of("pgoutput.task.split"), errors.keySet(), errors.toString());
            String error = errors.get("pgoutput.task.split").get(0);
            assertTrue(error.contains("CREATE PUBLICATION \"" + db.publication + "_0\" FOR TABLE \"public\".\"t1\", "
                    + "\"public\".\"t3\";"), error);
            assertTrue(error.contains("CREATE PUBLICATION \"" + db.publication + "_1\" FOR TABLE \"public\".\"t2\", "
                    + "\"public\".\"t4\";"), error);
        } finally {
            try (Connection c = PG.server().connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    private static Map<String, List<String>> errors(Map<String, String> config) {
        Map<String, String> named = new HashMap<>(config);
        named.put("name", "validate-" + config.get("topic.prefix"));
        ConfigInfos infos = CONNECT.cluster().validateConnectorConfig(PgOutputSourceConnector.class.getSimpleName(),
                named);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertEquals(infos.errorCount(), errors.values().stream().mapToInt(List::size).sum(), errors.toString());
        return errors;
    }

    private static List<ConnectorOffset> awaitOffsets(String connector) throws InterruptedException {
        long deadline = System.nanoTime() + FLUSH_DEADLINE.toNanos();
        List<ConnectorOffset> offsets = CONNECT.cluster().connectorOffsets(connector).offsets();
        while (offsets.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            offsets = CONNECT.cluster().connectorOffsets(connector).offsets();
        }
        return offsets;
    }

    private static List<String> published(TestDatabase db, String publication) throws SQLException {
        try (Connection c = db.connect()) {
            return PublicationCatalog.publishedTables(c, publication)
                    .orElseThrow(() -> new AssertionError("publication " + publication + " does not exist"));
        }
    }

    private static boolean slotExists(TestDatabase db, String slot) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            return rs.next();
        }
    }

    /** Each slot's {@code confirmed_flush_lsn}. */
    private static Map<String, Long> confirmed(TestDatabase db, List<String> slots) throws SQLException {
        Map<String, Long> lsns = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String slot : slots) {
                try (ResultSet rs = s.executeQuery("SELECT (confirmed_flush_lsn - '0/0')::bigint FROM "
                        + "pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                    assertTrue(rs.next(), "slot " + slot + " exists");
                    lsns.put(slot, rs.getLong(1));
                }
            }
        }
        return lsns;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void await(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
