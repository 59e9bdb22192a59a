package dev.pgoutput.connect;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.SnapshotMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * The replication, TLS and filtering properties, under Debezium's names and with its types and defaults (kept in
 * a block of their own beside {@link PgOutputConnectorConfig}'s connection properties): how they map onto the
 * reader, which values are supported, and which other Debezium properties are accepted as harmless no-ops.
 *
 * <pre>{@code
 * ReplicationSettings settings = ReplicationSettings.of(new PgOutputConnectorConfig(props));
 * settings.problems();                      // {"plugin.name": "only pgoutput ..."} when something does not fit
 * settings.applyTo(builder, publishedTables);
 * }</pre>
 *
 * @param pluginName      {@value #PLUGIN_NAME}
 * @param ssl             pgjdbc's TLS properties from {@code database.ssl*}, only those set
 * @param include         {@value #TABLE_INCLUDE_LIST}, regular expressions over {@code schema.table}; empty: all
 * @param exclude         {@value #TABLE_EXCLUDE_LIST}, the same
 * @param skipped         {@value #SKIPPED_OPERATIONS} as Debezium's codes ({@code c, u, d, t}; {@code none})
 * @param tombstones      {@value #TOMBSTONES_ON_DELETE}
 * @param snapshotMode    {@value #SNAPSHOT_MODE}
 * @param slotFailover    {@value #SLOT_FAILOVER}
 * @param autocreateMode  {@value #PUBLICATION_AUTOCREATE_MODE}
 */
public record ReplicationSettings(String pluginName, Map<String, String> ssl, List<String> include,
        List<String> exclude, List<String> skipped, boolean tombstones, String snapshotMode, boolean slotFailover,
        String autocreateMode) {

    /** The logical decoding plugin; only {@code pgoutput} is supported (Debezium's default is decoderbufs). */
    public static final String PLUGIN_NAME = "plugin.name";
    /** Tables to capture, regular expressions matched against {@code schema.table}. */
    public static final String TABLE_INCLUDE_LIST = "table.include.list";
    /** Tables not to capture, regular expressions matched against {@code schema.table}. */
    public static final String TABLE_EXCLUDE_LIST = "table.exclude.list";
    /** Operations not to emit: {@code c}, {@code u}, {@code d}, {@code t}, or {@code none}. */
    public static final String SKIPPED_OPERATIONS = "skipped.operations";
    /** Whether a delete is followed by a tombstone. */
    public static final String TOMBSTONES_ON_DELETE = "tombstones.on.delete";
    /** {@code initial}, {@code initial_only}, {@code no_data} (or its old name {@code never}). */
    public static final String SNAPSHOT_MODE = "snapshot.mode";
    /** Whether a slot the connector creates is a failover slot (PostgreSQL 17+). */
    public static final String SLOT_FAILOVER = "slot.failover";
    /** {@code disabled}, or {@code all_tables} with an existing publication; {@code filtered} is not supported. */
    public static final String PUBLICATION_AUTOCREATE_MODE = "publication.autocreate.mode";

    /** Debezium's {@code database.ssl*} properties and the pgjdbc properties they become. */
    static final Map<String, String> SSL_PROPERTIES = Map.of(
            "database.sslmode", "sslmode", "database.sslcert", "sslcert", "database.sslkey", "sslkey",
            "database.sslpassword", "sslpassword", "database.sslrootcert", "sslrootcert",
            "database.sslfactory", "sslfactory");

    /**
     * Debezium properties this connector accepts without acting on them, because they change nothing here: they
     * tune Debezium's own machinery (its queue, retries, schema refresh, metrics) or ask for what the connector
     * does anyway. Listed in the README's table.
     */
    static final Set<String> NO_OPS = Set.of("max.queue.size", "max.batch.size", "max.queue.size.in.bytes",
            "poll.interval.ms", "errors.max.retries", "retriable.restart.connector.wait.ms", "schema.refresh.mode",
            "database.tcpKeepAlive", "status.update.interval.ms", "slot.max.retries", "slot.retry.delay.ms",
            "custom.metric.tags", "snapshot.fetch.size", "snapshot.delay.ms", "include.unknown.datatypes",
            "slot.drop.on.stop", "topic.delimiter",
            "topic.naming.strategy", "topic.heartbeat.prefix", "topic.transaction", "sanitize.field.names",
            "lsn.flush.timeout.ms", "database.initial.statements");

    private static final String GROUP = "Replication";

    /** Adds the properties to {@code def}, Debezium's types and defaults. */
    static void define(ConfigDef def) {
        int order = 20;
        def.define(PLUGIN_NAME, Type.STRING, "decoderbufs", Importance.MEDIUM,
                "The logical decoding plugin; this connector reads pgoutput only.", GROUP, order++,
                ConfigDef.Width.SHORT, "Plugin");
        def.define("database.sslmode", Type.STRING, "prefer", Importance.MEDIUM,
                "Whether to use an encrypted connection: disable, allow, prefer, require, verify-ca, verify-full.",
                GROUP, order++, ConfigDef.Width.SHORT, "SSL mode");
        for (String key : List.of("database.sslcert", "database.sslkey", "database.sslrootcert", "database.sslfactory")) {
            def.define(key, Type.STRING, null, Importance.LOW, "pgjdbc's " + SSL_PROPERTIES.get(key) + ".",
                    GROUP, order++, ConfigDef.Width.LONG, key);
        }
        def.define("database.sslpassword", Type.PASSWORD, null, Importance.LOW, "The client key's password.",
                GROUP, order++, ConfigDef.Width.MEDIUM, "SSL key password");
        def.define(TABLE_INCLUDE_LIST, Type.LIST, null, Importance.HIGH,
                "Regular expressions of the tables (schema.table) to capture; all published ones by default.",
                GROUP, order++, ConfigDef.Width.LONG, "Include tables");
        def.define(TABLE_EXCLUDE_LIST, Type.LIST, null, Importance.MEDIUM,
                "Regular expressions of the tables (schema.table) not to capture.",
                GROUP, order++, ConfigDef.Width.LONG, "Exclude tables");
        def.define(SKIPPED_OPERATIONS, Type.LIST, "t", Importance.LOW,
                "Operations not to emit: c (insert), u (update), d (delete), t (truncate), or none.",
                GROUP, order++, ConfigDef.Width.SHORT, "Skipped operations");
        def.define(TOMBSTONES_ON_DELETE, Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether a delete is followed by a tombstone.", GROUP, order++, ConfigDef.Width.SHORT, "Tombstones");
        def.define(SNAPSHOT_MODE, Type.STRING, "initial", Importance.LOW,
                "initial, initial_only or no_data (never).", GROUP, order++, ConfigDef.Width.SHORT, "Snapshot mode");
        def.define(SLOT_FAILOVER, Type.BOOLEAN, false, Importance.LOW,
                "Whether a slot created by the connector is a failover slot (PostgreSQL 17+).",
                GROUP, order++, ConfigDef.Width.SHORT, "Failover slot");
        def.define(PUBLICATION_AUTOCREATE_MODE, Type.STRING, "all_tables", Importance.LOW,
                "disabled, or all_tables with an existing publication.", GROUP, order, ConfigDef.Width.SHORT,
                "Publication creation");
    }

    /** Reads the settings from a parsed configuration. */
    static ReplicationSettings of(PgOutputConnectorConfig config) {
        Map<String, String> ssl = new LinkedHashMap<>();
        SSL_PROPERTIES.forEach((key, pgjdbc) -> {
            Object value = config.values().get(key);
            if (value instanceof Password p) {
                value = p.value();
            }
            if (value != null) {
                ssl.put(pgjdbc, value.toString());
            }
        });
        return new ReplicationSettings(config.getString(PLUGIN_NAME), Map.copyOf(ssl),
                listOf(config, TABLE_INCLUDE_LIST), listOf(config, TABLE_EXCLUDE_LIST),
                listOf(config, SKIPPED_OPERATIONS), config.getBoolean(TOMBSTONES_ON_DELETE),
                config.getString(SNAPSHOT_MODE).toLowerCase(Locale.ROOT), config.getBoolean(SLOT_FAILOVER),
                config.getString(PUBLICATION_AUTOCREATE_MODE).toLowerCase(Locale.ROOT));
    }

    private static List<String> listOf(PgOutputConnectorConfig config, String key) {
        List<String> list = config.getList(key);
        return list == null ? List.of() : list.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /**
     * What does not fit, by property name. {@code explicit} holds the properties the user set: an unset
     * {@code plugin.name} (Debezium's default decoderbufs) is taken as pgoutput, a set one must be pgoutput.
     */
    Map<String, String> problems(Map<String, String> explicit) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (explicit.containsKey(PLUGIN_NAME) && !"pgoutput".equalsIgnoreCase(pluginName)) {
            problems.put(PLUGIN_NAME, "only pgoutput is supported, not " + pluginName);
        }
        if (!Set.of("initial", "initial_only", "no_data", "never").contains(snapshotMode)) {
            problems.put(SNAPSHOT_MODE, "snapshot.mode " + snapshotMode
                    + " is not supported; use initial, initial_only or no_data");
        }
        if (!Set.of("disabled", "all_tables").contains(autocreateMode)) {
            problems.put(PUBLICATION_AUTOCREATE_MODE, "publication.autocreate.mode " + autocreateMode
                    + " is not supported: create the publication yourself and use disabled");
        }
        for (String op : skipped) {
            if (!Set.of("c", "u", "d", "t", "none").contains(op)) {
                problems.put(SKIPPED_OPERATIONS, "unknown operation " + op + "; use c, u, d, t or none");
            }
        }
        for (String key : List.of(TABLE_INCLUDE_LIST, TABLE_EXCLUDE_LIST)) {
            for (String regex : key.equals(TABLE_INCLUDE_LIST) ? include : exclude) {
                try {
                    Pattern.compile(regex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.put(key, "not a regular expression: " + regex);
                }
            }
        }
        if (!include.isEmpty() && !exclude.isEmpty()) {
            problems.put(TABLE_EXCLUDE_LIST, "table.include.list and table.exclude.list cannot both be set");
        }
        return problems;
    }

    /** The library's snapshot mode for {@link #snapshotMode}. */
    SnapshotMode librarySnapshotMode() {
        return switch (snapshotMode) {
            case "initial" -> SnapshotMode.INITIAL;
            case "initial_only" -> SnapshotMode.INITIAL_ONLY;
            default -> SnapshotMode.NEVER;
        };
    }

    /** Whether any table filter is set, so that the publication's tables must be read. */
    boolean filtersTables() {
        return !include.isEmpty() || !exclude.isEmpty();
    }

    /** The published tables ({@code schema.table}) that the include and exclude lists let through. */
    List<String> selectTables(List<String> published) {
        List<Pattern> in = include.stream().map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE)).toList();
        List<Pattern> out = exclude.stream().map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE)).toList();
        List<String> selected = new ArrayList<>();
        for (String table : published) {
            boolean included = in.isEmpty() || in.stream().anyMatch(p -> p.matcher(table).matches());
            boolean excluded = out.stream().anyMatch(p -> p.matcher(table).matches());
            if (included && !excluded) {
                selected.add(table);
            }
        }
        return selected;
    }

    /** The same settings with no operation skipped by the reader (the task filters them itself). */
    ReplicationSettings withoutSkippedOperations() {
        return new ReplicationSettings(pluginName, ssl, include, exclude, List.of(), tombstones, snapshotMode,
                slotFailover, autocreateMode);
    }

    /** Applies TLS, skipped operations and the snapshot mode to a reader's builder. */
    void applyTo(LogicalReplicationReader.Builder builder) {
        ssl.forEach(builder::property);
        List<Op> ops = new ArrayList<>();
        for (String code : skipped) {
            switch (code) {
                case "c" -> ops.add(Op.CREATE);
                case "u" -> ops.add(Op.UPDATE);
                case "d" -> ops.add(Op.DELETE);
                case "t" -> ops.add(Op.TRUNCATE);
                default -> { }
            }
        }
        builder.skippedOperations(ops.toArray(Op[]::new));
        builder.snapshot(librarySnapshotMode());
    }
}
