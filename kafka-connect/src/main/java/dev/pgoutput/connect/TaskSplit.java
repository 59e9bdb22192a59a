package dev.pgoutput.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The opt-in split of the captured tables over several tasks, each with a slot and a publication of its own
 * (property {@value #TASK_SPLIT}, ours: Debezium has no such property, and Debezium's PostgreSQL connector runs one
 * task whatever {@code tasks.max} says, so {@code tasks.max > 1} alone changes nothing here either).
 *
 * <p><b>Assignment.</b> The base publication's tables, after {@code table.include.list}/{@code table.exclude.list},
 * sorted by {@code schema.table}, dealt round-robin to {@code min(tasks.max, tables)} tasks: table {@code i} goes to
 * task {@code i % n}. Round-robin by name rather than by estimated size, because the assignment must come out the
 * same at every restart: a table that moves to another task moves to another slot, and sizes change on their own
 * ({@code reltuples} after every {@code ANALYZE}). With one task (one table, or {@code tasks.max=1}) nothing is
 * split: the task reads {@code slot.name} and {@code publication.name} with Debezium's partition, as unsplit.
 *
 * <p><b>Names.</b> Task {@code n} of a split reads slot {@code <slot.name>_<n>} and publication {@code
 * <publication.name>_<n>} ({@code FOR TABLE} its tables), created by the task when missing; its records carry the
 * source partition {@code {"server": <topic.prefix>, "slot": <slot.name>_<n>}}, so the tasks' offsets never collide
 * and an offset always names the slot whose stream its LSNs belong to.
 *
 * <p><b>A changed assignment</b> (tables added to or removed from the publication or the lists, another {@code
 * tasks.max}) is detected, not handled: a task whose publication exists with other tables than its assignment fails
 * with the SQL that resets the split, and {@code validate()} reports the same. Moving a table between two streams
 * without a gap or a reordering is not done.
 *
 * <pre>{@code
 * TaskSplit.assign(List.of("public.a", "public.b", "public.c"), 2); // [[public.a, public.c], [public.b]]
 * }</pre>
 */
public final class TaskSplit {

    /** {@code none} (default): one task, as Debezium; {@code tables}: the tables split over {@code tasks.max} tasks. */
    public static final String TASK_SPLIT = "pgoutput.task.split";
    /** The value that turns the split on. */
    public static final String TABLES = "tables";
    /** The default: no split. */
    public static final String NONE = "none";

    /** Task properties the connector adds for a split task (ours, never set by a user). */
    static final String TASK_INDEX = "pgoutput.task.index";
    static final String TASK_TABLES = "pgoutput.task.tables";
    static final String BASE_SLOT = "pgoutput.task.base.slot";

    /** Debezium's source partition key. */
    static final String SERVER = "server";
    /** The partition key that tells a split task's stream apart. */
    static final String SLOT = "slot";

    /**
     * The connector's whole definition: Debezium's properties ({@link PgOutputConnectorConfig#CONFIG_DEF}, kept
     * to Debezium's names, see DebeziumConfigDefaultsTest) and ours, under the {@code pgoutput.} prefix.
     */
    static final ConfigDef CONNECTOR_DEF = new ConfigDef(PgOutputConnectorConfig.CONFIG_DEF)
            .define(TASK_SPLIT, Type.STRING, NONE, ConfigDef.ValidString.in(NONE, TABLES), Importance.LOW,
                    "none: one task, as Debezium's connector (tasks.max is ignored). tables: the captured tables "
                            + "are split over tasks.max tasks, each with its own slot <slot.name>_<n> and "
                            + "publication <publication.name>_<n>.", "Tasks", 1, ConfigDef.Width.SHORT, "Task split");

    private TaskSplit() {
    }

    /** Whether the user asked for the split. */
    static boolean requested(Map<String, String> props) {
        return TABLES.equalsIgnoreCase(props.getOrDefault(TASK_SPLIT, NONE).trim());
    }

    /** The tables (sorted) dealt round-robin to {@code min(maxTasks, tables)} lists; none when there is no table. */
    public static List<List<String>> assign(List<String> tables, int maxTasks) {
        List<String> sorted = tables.stream().sorted().toList();
        int n = Math.min(Math.max(1, maxTasks), sorted.size());
        List<List<String>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(new ArrayList<>());
        }
        for (int i = 0; i < sorted.size(); i++) {
            tasks.get(i % n).add(sorted.get(i));
        }
        return tasks.stream().map(List::copyOf).toList();
    }

    /** Slot of task {@code index}. */
    static String slotName(String baseSlot, int index) {
        return baseSlot + "_" + index;
    }

    /** Publication of task {@code index}. */
    static String publicationName(String basePublication, int index) {
        return basePublication + "_" + index;
    }

    /**
     * The task configurations of a split: the connector's properties with the task's slot, publication, index and
     * tables. One assignment list gives one unsplit configuration (the properties as they are).
     */
    static List<Map<String, String>> taskConfigs(Map<String, String> props, List<List<String>> assignment) {
        if (assignment.size() <= 1) {
            return List.of(props);
        }
        PgOutputConnectorConfig config = new PgOutputConnectorConfig(props);
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < assignment.size(); i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(PgOutputConnectorConfig.SLOT_NAME, slotName(config.slotName(), i));
            task.put(PgOutputConnectorConfig.PUBLICATION_NAME, publicationName(config.publicationName(), i));
            task.put(BASE_SLOT, config.slotName());
            task.put(TASK_INDEX, Integer.toString(i));
            task.put(TASK_TABLES, String.join(",", assignment.get(i)));
            configs.add(Map.copyOf(task));
        }
        return configs;
    }

    /** Whether these task properties are a split task's. */
    static boolean isSplitTask(Map<String, String> taskProps) {
        return taskProps.containsKey(TASK_INDEX);
    }

    /** The task's source partition: Debezium's {@code {"server": prefix}} unsplit, with the slot when split. */
    static Map<String, String> sourcePartition(String topicPrefix, Map<String, String> taskProps) {
        if (!isSplitTask(taskProps)) {
            return Map.of(SERVER, topicPrefix);
        }
        Map<String, String> partition = new LinkedHashMap<>();
        partition.put(SERVER, topicPrefix);
        partition.put(SLOT, taskProps.get(PgOutputConnectorConfig.SLOT_NAME));
        return java.util.Collections.unmodifiableMap(partition);
    }

    /** The task id of Debezium's {@code __debezium.context.taskId} header: the index, {@code "0"} unsplit. */
    static String taskId(Map<String, String> taskProps) {
        return taskProps.getOrDefault(TASK_INDEX, "0");
    }

    /** A split task's tables, {@code schema.table}. */
    static List<String> tables(Map<String, String> taskProps) {
        String tables = taskProps.getOrDefault(TASK_TABLES, "");
        return tables.isEmpty() ? List.of() : List.of(tables.split(","));
    }

    /** What does not fit with the split on, by property name; empty when it is off. */
    static Map<String, String> problems(Map<String, String> props) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (requested(props) && Boolean.parseBoolean(props.getOrDefault(
                EventSettings.PROVIDE_TRANSACTION_METADATA, "false").trim())) {
            problems.put(TASK_SPLIT, TASK_SPLIT + "=" + TABLES + " cannot be combined with "
                    + EventSettings.PROVIDE_TRANSACTION_METADATA + "=true: a transaction over the tables of two tasks "
                    + "would get a BEGIN and an END from each, each counting only its part");
        }
        return problems;
    }
}
