package dev.pgoutput.connect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of {@link TaskSplit}: reads the tables to split (the base publication's, after the table
 * lists), creates a task's publication when it is missing, and finds what stops a split: a task publication that
 * exists with other tables than its assignment (the assignment changed), or a user who may not create the
 * publications. Over ordinary JDBC connections ({@link PublicationCatalog#connect}).
 */
final class SplitPublications {

    private static final Logger LOG = LoggerFactory.getLogger(SplitPublications.class);

    private SplitPublications() {
    }

    /**
     * The connector's task configurations: one (the properties as they are) without the split, as Debezium, with a
     * log line when {@code tasks.max} asked for more; otherwise one per assigned list of tables.
     */
    static List<Map<String, String>> taskConfigs(Map<String, String> props, int maxTasks) {
        if (!TaskSplit.requested(props)) {
            if (maxTasks > 1) {
                LOG.info("tasks.max={} but one task runs, as Debezium's connector runs one (one slot is one walsender "
                        + "stream); set {}={} to split the tables over several slots", maxTasks, TaskSplit.TASK_SPLIT,
                        TaskSplit.TABLES);
            }
            return List.of(props);
        }
        PgOutputConnectorConfig config = new PgOutputConnectorConfig(props);
        ReplicationSettings settings = ReplicationSettings.of(config);
        List<List<String>> assignment;
        try (Connection c = PublicationCatalog.connect(config, settings)) {
            assignment = TaskSplit.assign(selectedTables(c, config, settings), maxTasks);
            warnAboutUnreadSlots(c, config.slotName(), assignment.size());
        } catch (SQLException e) {
            throw new ConnectException("Reading the tables of publication " + config.publicationName() + " to split "
                    + "them over tasks: " + e.getMessage(), e);
        }
        LOG.info("{}={}, tasks.max={}: {} task(s), tables {}", TaskSplit.TASK_SPLIT, TaskSplit.TABLES, maxTasks,
                assignment.size(), assignment);
        return TaskSplit.taskConfigs(props, assignment);
    }

    /**
     * Slots of this connector that no task reads with this assignment (the unsplit slot, or those of a larger
     * split) hold WAL until they are dropped: a warning with the SQL, not an error, since the user may want to go
     * back to them.
     */
    private static void warnAboutUnreadSlots(Connection c, String baseSlot, int tasks) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT slot_name FROM pg_replication_slots "
                + "WHERE database = current_database() AND (slot_name = ? OR slot_name ~ ('^' || ? || '_[0-9]+$'))")) {
            s.setString(1, baseSlot);
            s.setString(2, baseSlot);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String slot = rs.getString(1);
                    // One task reads the unsplit slot; a split reads <slot>_0 .. <slot>_<tasks - 1>.
                    boolean read = tasks <= 1 ? slot.equals(baseSlot) : !slot.equals(baseSlot)
                            && Long.parseLong(slot.substring(baseSlot.length() + 1)) < tasks;
                    if (!read) {
                        LOG.warn("Slot {} is not read by the {} task(s) of this split and retains WAL; "
                                + "drop it when it is no longer needed: SELECT pg_drop_replication_slot('{}');",
                                slot, tasks, slot);
                    }
                }
            }
        }
    }

    /** The base publication's tables the table lists let through; fails when there is none. */
    static List<String> selectedTables(Connection c, PgOutputConnectorConfig config, ReplicationSettings settings)
            throws SQLException {
        List<String> published = PublicationCatalog.publishedTables(c, config.publicationName())
                .orElseThrow(() -> new ConnectException("publication " + config.publicationName()
                        + " does not exist; " + PublicationCatalog.createSql(config.publicationName(), List.of())));
        List<String> selected = settings.selectTables(published);
        if (selected.isEmpty()) {
            throw new ConnectException("no table of publication " + config.publicationName() + " " + published
                    + " is left by table.include.list / table.exclude.list");
        }
        return selected;
    }

    /**
     * At a split task's start: creates its publication when it is missing; fails when it exists with other tables
     * (the assignment changed since the slot started streaming it).
     */
    static void prepare(PgOutputConnectorConfig config, ReplicationSettings settings, Map<String, String> taskProps) {
        String publication = config.publicationName();
        List<String> tables = TaskSplit.tables(taskProps);
        try (Connection c = PublicationCatalog.connect(config, settings)) {
            Optional<List<String>> existing = PublicationCatalog.publishedTables(c, publication);
            if (existing.isPresent()) {
                if (!sorted(existing.get()).equals(sorted(tables))) {
                    throw new ConnectException(mismatch(publication, existing.get(), tables,
                            taskProps.get(TaskSplit.BASE_SLOT)));
                }
                return;
            }
            try (Statement s = c.createStatement()) {
                s.execute(createSql(publication, tables));
            }
            LOG.info("Created publication {} for {}", publication, tables);
        } catch (SQLException e) {
            throw new ConnectException("Creating publication " + publication + " failed (" + e.getMessage()
                    + "); create it as the tables' owner: " + createSql(publication, tables), e);
        }
    }

    /**
     * What stops the split {@code assignment} on this server, for validate(): a task publication with other
     * tables, or missing publications the user may not create (with the SQL that creates them).
     */
    static Optional<String> problem(Connection c, PgOutputConnectorConfig config, List<List<String>> assignment)
            throws SQLException {
        if (assignment.size() <= 1) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        List<String> missingTables = new ArrayList<>();
        for (int i = 0; i < assignment.size(); i++) {
            String publication = TaskSplit.publicationName(config.publicationName(), i);
            Optional<List<String>> existing = PublicationCatalog.publishedTables(c, publication);
            if (existing.isPresent() && !sorted(existing.get()).equals(sorted(assignment.get(i)))) {
                return Optional.of(mismatch(publication, existing.get(), assignment.get(i), config.slotName()));
            }
            if (existing.isEmpty()) {
                missing.add(createSql(publication, assignment.get(i)));
                missingTables.addAll(assignment.get(i));
            }
        }
        if (!missing.isEmpty() && !mayCreatePublications(c, missingTables)) {
            return Optional.of("user " + config.user() + " may not create the tasks' publications (CREATE on the "
                    + "database and ownership of the tables are needed); create them as the tables' owner: "
                    + String.join(" ", missing));
        }
        return Optional.empty();
    }

    /**
     * validate()'s check of the split that {@code tasks.max} would give: a changed assignment, or publications the
     * user may not create, reported on {@value TaskSplit#TASK_SPLIT}. Missing tables or publications are reported by
     * the connector's own checks already.
     */
    static void check(PgOutputConnectorConfig config, ReplicationSettings settings, Map<String, String> props,
            Map<String, org.apache.kafka.common.config.ConfigValue> values) {
        int maxTasks;
        try {
            maxTasks = Integer.parseInt(props.getOrDefault("tasks.max", "1").trim());
        } catch (NumberFormatException e) {
            return; // Connect reports tasks.max itself
        }
        try (Connection c = PublicationCatalog.connect(config, settings)) {
            List<String> published = PublicationCatalog.publishedTables(c, config.publicationName()).orElse(List.of());
            List<String> selected = settings.selectTables(published);
            if (selected.isEmpty()) {
                return;
            }
            problem(c, config, TaskSplit.assign(selected, maxTasks))
                    .ifPresent(problem -> values.get(TaskSplit.TASK_SPLIT).addErrorMessage(problem));
        } catch (SQLException e) {
            values.get(TaskSplit.TASK_SPLIT).addErrorMessage("checking the split failed: " + e.getMessage());
        }
    }

    /** Whether the current user may run {@code CREATE PUBLICATION ... FOR TABLE} over the tables. */
    private static boolean mayCreatePublications(Connection c, List<String> tables) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = "
                + "current_user) OR (has_database_privilege(current_database(), 'CREATE') AND NOT EXISTS ("
                + "SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                + "WHERE n.nspname || '.' || k.relname = ANY (?) AND NOT pg_has_role(k.relowner, 'USAGE')))")) {
            s.setArray(1, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String mismatch(String publication, List<String> existing, List<String> assigned, String baseSlot) {
        return "the table assignment changed: publication " + publication + " publishes " + sorted(existing)
                + " but its task is now assigned " + sorted(assigned) + " (tables were added or removed, or tasks.max "
                + "changed). Moving a table to another slot is not supported: restore the previous tasks.max and "
                + "tables, or start the split afresh (the slots' positions are lost; snapshot.mode=initial copies the "
                + "tables again): stop the connector, drop the publications " + publication.replaceAll("_\\d+$", "_<n>")
                + " and the slots " + baseSlot + "_<n> (SELECT pg_drop_replication_slot('" + baseSlot + "_0'); …), "
                + "delete its offsets, and start it again";
    }

    /** {@code CREATE PUBLICATION "p" FOR TABLE "s"."t", …;} with quoted identifiers. */
    static String createSql(String publication, List<String> tables) {
        List<String> quoted = new ArrayList<>();
        for (String table : tables) {
            int dot = table.indexOf('.');
            quoted.add(quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1)));
        }
        return "CREATE PUBLICATION " + quote(publication) + " FOR TABLE " + String.join(", ", quoted) + ";";
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static List<String> sorted(List<String> tables) {
        return tables.stream().sorted().toList();
    }
}
