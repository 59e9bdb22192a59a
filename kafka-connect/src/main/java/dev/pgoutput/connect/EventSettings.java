package dev.pgoutput.connect;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The properties of the records beside the table topics, under Debezium 3.6.1's names, types and defaults:
 * transaction metadata ({@code <prefix>.transaction}), heartbeats ({@code __debezium-heartbeat.<prefix>}) and
 * logical decoding messages ({@code <prefix>.message}). Kept in a block of their own beside {@link
 * ReplicationSettings}.
 *
 * <pre>{@code
 * EventSettings events = EventSettings.of(config, props);
 * events.heartbeatInterval();          // Duration.ZERO: no heartbeats (Debezium's default)
 * events.messageIncluded("outbox");    // true unless the prefix lists say otherwise
 * }</pre>
 *
 * @param transactionMetadata  {@value #PROVIDE_TRANSACTION_METADATA}
 * @param heartbeatInterval    {@value #HEARTBEAT_INTERVAL_MS}; zero: no heartbeats
 * @param heartbeatActionQuery {@value #HEARTBEAT_ACTION_QUERY}, or null
 * @param messageInclude       {@value #MESSAGE_PREFIX_INCLUDE_LIST}, regular expressions; empty: all
 * @param messageExclude       {@value #MESSAGE_PREFIX_EXCLUDE_LIST}, regular expressions
 * @param heartbeatTopic       {@code <topic.heartbeat.prefix>.<topic.prefix>}
 * @param transactionTopic     {@code <topic.prefix>.<topic.transaction>}
 * @param messageTopic         {@code <topic.prefix>.message}
 */
public record EventSettings(boolean transactionMetadata, Duration heartbeatInterval, String heartbeatActionQuery,
        List<String> messageInclude, List<String> messageExclude, String heartbeatTopic, String transactionTopic,
        String messageTopic) {

    /** Whether BEGIN/END records are written and each change's envelope carries its {@code transaction}. */
    public static final String PROVIDE_TRANSACTION_METADATA = "provide.transaction.metadata";
    /** How often a heartbeat record is written, milliseconds; 0 (the default) writes none. */
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    /** A statement run on the database with every heartbeat, before the record is written. */
    public static final String HEARTBEAT_ACTION_QUERY = "heartbeat.action.query";
    /** Regular expressions of the logical decoding message prefixes to write; all by default. */
    public static final String MESSAGE_PREFIX_INCLUDE_LIST = "message.prefix.include.list";
    /** Regular expressions of the logical decoding message prefixes not to write. */
    public static final String MESSAGE_PREFIX_EXCLUDE_LIST = "message.prefix.exclude.list";

    /** Debezium's topic naming properties read here (accepted by validate() as before, not defined). */
    private static final String TOPIC_HEARTBEAT_PREFIX = "topic.heartbeat.prefix";
    private static final String TOPIC_TRANSACTION = "topic.transaction";

    private static final String GROUP = "Events";

    /** Adds the properties to {@code def}, Debezium's types and defaults. */
    static void define(ConfigDef def) {
        int order = 40;
        def.define(PROVIDE_TRANSACTION_METADATA, Type.BOOLEAN, false, Importance.LOW,
                "Write BEGIN and END records of each transaction to <topic.prefix>.transaction and fill the "
                        + "envelope's transaction block.", GROUP, order++, ConfigDef.Width.SHORT, "Transaction metadata");
        def.define(HEARTBEAT_INTERVAL_MS, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "How often, in milliseconds, a heartbeat record is written to __debezium-heartbeat.<topic.prefix>; "
                        + "0 writes none.", GROUP, order++, ConfigDef.Width.MEDIUM, "Heartbeat interval");
        def.define(HEARTBEAT_ACTION_QUERY, Type.STRING, null, Importance.LOW,
                "A statement run on the database with every heartbeat.", GROUP, order++, ConfigDef.Width.MEDIUM,
                "Heartbeat action query");
        def.define(MESSAGE_PREFIX_INCLUDE_LIST, Type.LIST, null, Importance.MEDIUM,
                "Regular expressions of the logical decoding message prefixes to write; all by default.",
                GROUP, order++, ConfigDef.Width.LONG, "Include message prefixes");
        def.define(MESSAGE_PREFIX_EXCLUDE_LIST, Type.LIST, null, Importance.MEDIUM,
                "Regular expressions of the logical decoding message prefixes not to write.",
                GROUP, order, ConfigDef.Width.LONG, "Exclude message prefixes");
    }

    /** Reads the settings from a parsed configuration and the raw properties (for the topic names). */
    static EventSettings of(PgOutputConnectorConfig config, Map<String, String> props) {
        String prefix = config.topicPrefix();
        String query = config.getString(HEARTBEAT_ACTION_QUERY);
        return new EventSettings(config.getBoolean(PROVIDE_TRANSACTION_METADATA),
                Duration.ofMillis(config.getInt(HEARTBEAT_INTERVAL_MS)),
                query == null || query.isBlank() ? null : query,
                listOf(config, MESSAGE_PREFIX_INCLUDE_LIST), listOf(config, MESSAGE_PREFIX_EXCLUDE_LIST),
                props.getOrDefault(TOPIC_HEARTBEAT_PREFIX, "__debezium-heartbeat") + "." + prefix,
                prefix + "." + props.getOrDefault(TOPIC_TRANSACTION, "transaction"),
                prefix + ".message");
    }

    private static List<String> listOf(PgOutputConnectorConfig config, String key) {
        List<String> list = config.getList(key);
        return list == null ? List.of() : list.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /** What does not fit, by property name. */
    Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        for (String key : List.of(MESSAGE_PREFIX_INCLUDE_LIST, MESSAGE_PREFIX_EXCLUDE_LIST)) {
            for (String regex : key.equals(MESSAGE_PREFIX_INCLUDE_LIST) ? messageInclude : messageExclude) {
                try {
                    Pattern.compile(regex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.put(key, "not a regular expression: " + regex);
                }
            }
        }
        if (!messageInclude.isEmpty() && !messageExclude.isEmpty()) {
            problems.put(MESSAGE_PREFIX_EXCLUDE_LIST,
                    "message.prefix.include.list and message.prefix.exclude.list cannot both be set");
        }
        return problems;
    }

    /**
     * Whether a message with this prefix is written: Debezium matches the whole prefix against each expression,
     * ignoring case, the include list winning when both are set.
     */
    boolean messageIncluded(String prefix) {
        if (!messageInclude.isEmpty()) {
            return matchesAny(messageInclude, prefix);
        }
        return messageExclude.isEmpty() || !matchesAny(messageExclude, prefix);
    }

    private static boolean matchesAny(List<String> regexes, String value) {
        // Compiled per call: messages are rare, and the record stays a plain value.
        return regexes.stream().anyMatch(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE).matcher(value).matches());
    }

    /** Whether heartbeats are written. */
    boolean heartbeats() {
        return !heartbeatInterval.isZero();
    }
}
