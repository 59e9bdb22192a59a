package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.config.Field;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The split's assignment and task configurations (no server needed): deterministic whatever the order the tables
 * come in, balanced, never more tasks than tables; names and partitions of each task; and our property's name
 * cannot clash with one of Debezium's.
 */
class TaskSplitTest {

    private static final List<String> TABLES = List.of("public.e", "public.a", "s.b", "public.d", "public.c");

    @Test
    void tablesAreSortedAndDealtRoundRobin() {
        assertEquals(List.of(List.of("public.a", "public.d", "s.b"), List.of("public.c", "public.e")),
                TaskSplit.assign(TABLES, 2));
        assertEquals(List.of(TABLES.stream().sorted().toList()), TaskSplit.assign(TABLES, 1));
    }

    @Test
    void theAssignmentDoesNotDependOnTheOrderTheTablesComeIn() {
        Random random = new Random(14);
        List<String> shuffled = new ArrayList<>(TABLES);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(shuffled, random);
            assertEquals(TaskSplit.assign(TABLES, 3), TaskSplit.assign(shuffled, 3), "order " + shuffled);
        }
    }

    @Test
    void neverMoreTasksThanTablesAndEveryTableOnceBalanced() {
        List<String> tables = IntStream.range(0, 7).mapToObj(i -> "public.t" + i).toList();
        for (int max = 1; max <= 10; max++) {
            List<List<String>> tasks = TaskSplit.assign(tables, max);
            assertEquals(Math.min(max, tables.size()), tasks.size(), "tasks for tasks.max=" + max);
            List<String> all = tasks.stream().flatMap(List::stream).sorted().toList();
            assertEquals(tables, all, "every table once for tasks.max=" + max);
            int smallest = tasks.stream().mapToInt(List::size).min().orElseThrow();
            int largest = tasks.stream().mapToInt(List::size).max().orElseThrow();
            assertTrue(largest - smallest <= 1, "balanced for tasks.max=" + max + ": " + tasks);
        }
    }

    @Test
    void eachSplitTaskHasItsSlotPublicationAndPartition() {
        Map<String, String> props = Map.of("database.hostname", "h", "database.user", "u", "database.dbname", "d",
                "topic.prefix", "shop", "slot.name", "s", "publication.name", "p", "pgoutput.task.split", "tables");
        List<Map<String, String>> configs = TaskSplit.taskConfigs(props, TaskSplit.assign(TABLES, 2));
        assertEquals(List.of("s_0", "s_1"), configs.stream().map(c -> c.get("slot.name")).toList());
        assertEquals(List.of("p_0", "p_1"), configs.stream().map(c -> c.get("publication.name")).toList());
        assertEquals(List.of("0", "1"), configs.stream().map(TaskSplit::taskId).toList());
        assertEquals(List.of(List.of("public.a", "public.d", "s.b"), List.of("public.c", "public.e")),
                configs.stream().map(TaskSplit::tables).toList());
        assertEquals(List.of(Map.of("server", "shop", "slot", "s_0"), Map.of("server", "shop", "slot", "s_1")),
                configs.stream().map(c -> TaskSplit.sourcePartition("shop", c)).toList());
    }

    @Test
    void oneTaskIsNotSplitAndKeepsDebeziumsPartition() {
        Map<String, String> props = Map.of("topic.prefix", "shop", "slot.name", "s", "pgoutput.task.split", "tables");
        List<Map<String, String>> configs = TaskSplit.taskConfigs(props, TaskSplit.assign(List.of("public.a"), 4));
        assertEquals(List.of(props), configs, "the properties as they are");
        assertFalse(TaskSplit.isSplitTask(configs.get(0)));
        assertEquals(Map.of("server", "shop"), TaskSplit.sourcePartition("shop", configs.get(0)));
        assertEquals("0", TaskSplit.taskId(configs.get(0)));
    }

    @Test
    void ourPropertiesAreNotDebeziumsAndCarryOurPrefix() {
        Set<String> debezium = new HashSet<>();
        for (Field f : PostgresConnectorConfig.ALL_FIELDS) {
            debezium.add(f.name());
        }
        Set<String> ours = TaskSplit.CONNECTOR_DEF.names().stream()
                .filter(n -> !PgOutputConnectorConfig.CONFIG_DEF.names().contains(n)).collect(Collectors.toSet());
        assertEquals(Set.of(TaskSplit.TASK_SPLIT), ours);
        for (String name : ours) {
            assertTrue(name.startsWith("pgoutput."), name);
            assertFalse(debezium.contains(name), name + " is one of Debezium's properties");
        }
        assertTrue(debezium.stream().noneMatch(n -> n.startsWith("pgoutput.")), "Debezium has no pgoutput.* property");
    }
}
