package dev.pgoutput.connect;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector's configuration, under Debezium's PostgreSQL connector property names and with its defaults
 * (checked against {@code io.debezium.connector.postgresql.PostgresConnectorConfig} 3.6.1.Final), so that a
 * Debezium connector's configuration can be reused by changing {@code connector.class} only.
 *
 * <p>Replication and filtering properties ({@code plugin.name}, SSL, table lists, snapshot mode, …) are defined
 * and read by {@link ReplicationSettings}, those of the records beside the table topics (transaction metadata,
 * heartbeats, logical decoding messages) by {@link EventSettings}; {@link PgOutputSourceConnector#validate} reports
 * every property that is neither defined here nor a harmless no-op by name.
 *
 * <pre>{@code
 * PgOutputConnectorConfig config = new PgOutputConnectorConfig(Map.of(
 *         "database.hostname", "localhost", "database.user", "postgres",
 *         "database.dbname", "shop", "topic.prefix", "shop"));
 * config.slotName(); // "debezium", Debezium's default
 * }</pre>
 */
public final class PgOutputConnectorConfig extends AbstractConfig {

    /** Host name or address of the PostgreSQL server; required. */
    public static final String DATABASE_HOSTNAME = "database.hostname";
    /** Port of the PostgreSQL server; default 5432. */
    public static final String DATABASE_PORT = "database.port";
    /** The user to connect as (it needs the REPLICATION attribute); required. */
    public static final String DATABASE_USER = "database.user";
    /** The user's password; none by default. */
    public static final String DATABASE_PASSWORD = "database.password";
    /** The database whose changes are captured; required. */
    public static final String DATABASE_DBNAME = "database.dbname";
    /** The logical server name: the first part of every topic name and the source partition; required. */
    public static final String TOPIC_PREFIX = "topic.prefix";
    /** The replication slot; default {@code debezium}, created when it is missing, as Debezium does. */
    public static final String SLOT_NAME = "slot.name";
    /** The publication the slot streams; default {@code dbz_publication}. */
    public static final String PUBLICATION_NAME = "publication.name";

    /** Debezium's default slot name. */
    public static final String DEFAULT_SLOT_NAME = "debezium";
    /** Debezium's default publication name. */
    public static final String DEFAULT_PUBLICATION_NAME = "dbz_publication";
    /** Debezium's default port. */
    public static final int DEFAULT_PORT = 5432;

    private static final String GROUP = "PostgreSQL";

    /** The definition Connect validates a connector's configuration against. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(DATABASE_HOSTNAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Resolvable hostname or IP address of the database server.",
                    GROUP, 1, ConfigDef.Width.MEDIUM, "Hostname")
            .define(DATABASE_PORT, Type.INT, DEFAULT_PORT, ConfigDef.Range.between(1, 65535),
                    Importance.HIGH, "Port of the database server.", GROUP, 2, ConfigDef.Width.SHORT, "Port")
            .define(DATABASE_USER, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Name of the database user to be used when connecting to the database.",
                    GROUP, 3, ConfigDef.Width.MEDIUM, "User")
            .define(DATABASE_PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                    "Password of the database user to be used when connecting to the database.",
                    GROUP, 4, ConfigDef.Width.MEDIUM, "Password")
            .define(DATABASE_DBNAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "The name of the database from which the connector should capture changes.",
                    GROUP, 5, ConfigDef.Width.MEDIUM, "Database")
            .define(TOPIC_PREFIX, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Topic prefix that identifies and provides a namespace for the particular "
                            + "database server/cluster; the source partition of every record.",
                    GROUP, 6, ConfigDef.Width.MEDIUM, "Topic prefix")
            .define(SLOT_NAME, Type.STRING, DEFAULT_SLOT_NAME, new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "The name of the PostgreSQL logical decoding slot created for streaming "
                            + "changes from a plugin.", GROUP, 7, ConfigDef.Width.MEDIUM, "Slot")
            .define(PUBLICATION_NAME, Type.STRING, DEFAULT_PUBLICATION_NAME, new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "The name of the PostgreSQL publication the slot streams.",
                    GROUP, 8, ConfigDef.Width.MEDIUM, "Publication");

    static {
        ReplicationSettings.define(CONFIG_DEF);
        EventSettings.define(CONFIG_DEF);
    }

    /**
     * Parses and validates connector (or task) properties.
     *
     * @param properties the properties Connect passes to {@code start}
     * @throws org.apache.kafka.common.config.ConfigException when a required property is missing or invalid
     */
    public PgOutputConnectorConfig(Map<String, String> properties) {
        super(CONFIG_DEF, properties, false);
    }

    /** {@value #DATABASE_HOSTNAME}. */
    public String hostname() {
        return getString(DATABASE_HOSTNAME);
    }

    /** {@value #DATABASE_PORT}. */
    public int port() {
        return getInt(DATABASE_PORT);
    }

    /** {@value #DATABASE_USER}. */
    public String user() {
        return getString(DATABASE_USER);
    }

    /** {@value #DATABASE_PASSWORD}, or {@code null} when none is set. */
    public String password() {
        Password password = getPassword(DATABASE_PASSWORD);
        return password == null ? null : password.value();
    }

    /** {@value #DATABASE_DBNAME}. */
    public String databaseName() {
        return getString(DATABASE_DBNAME);
    }

    /** {@value #TOPIC_PREFIX}. */
    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    /** {@value #SLOT_NAME}. */
    public String slotName() {
        return getString(SLOT_NAME);
    }

    /** {@value #PUBLICATION_NAME}. */
    public String publicationName() {
        return getString(PUBLICATION_NAME);
    }

    // ---- Record format (issue 14 item 2): Debezium's names, types and defaults; kept in one block. ----

    /** Whether a delete is followed by a tombstone; default true (defined with the replication properties). */
    public static final String TOMBSTONES_ON_DELETE = ReplicationSettings.TOMBSTONES_ON_DELETE;
    /** Operations not written: {@code c}, {@code u}, {@code d}, {@code t}, or {@code none}; default {@code t}. */
    public static final String SKIPPED_OPERATIONS = ReplicationSettings.SKIPPED_OPERATIONS;
    /** {@code precise} (default), {@code double} or {@code string}. */
    public static final String DECIMAL_HANDLING_MODE = "decimal.handling.mode";
    /** {@code adaptive} (default), {@code adaptive_time_microseconds}, {@code connect}, {@code microseconds}. */
    public static final String TIME_PRECISION_MODE = "time.precision.mode";
    /** {@code bytes} (default), {@code base64}, {@code base64-url-safe} or {@code hex}. */
    public static final String BINARY_HANDLING_MODE = "binary.handling.mode";
    /** {@code numeric} (default) or {@code string}. */
    public static final String INTERVAL_HANDLING_MODE = "interval.handling.mode";
    /** {@code json} (default) or {@code map}. */
    public static final String HSTORE_HANDLING_MODE = "hstore.handling.mode";
    /** What an unchanged TOASTed value is written as; default {@code __debezium_unavailable_value}. */
    public static final String UNAVAILABLE_VALUE_PLACEHOLDER = "unavailable.value.placeholder";

    private static final String RECORDS_GROUP = "Records";

    static {
        CONFIG_DEF
                .define(DECIMAL_HANDLING_MODE, Type.STRING, "precise", Importance.MEDIUM,
                        "How numeric values are written: precise, double or string.", RECORDS_GROUP, 3,
                        ConfigDef.Width.SHORT, "Decimal handling")
                .define(TIME_PRECISION_MODE, Type.STRING, "adaptive", Importance.MEDIUM,
                        "How temporal values are written: adaptive, adaptive_time_microseconds, connect or "
                                + "microseconds.", RECORDS_GROUP, 4, ConfigDef.Width.SHORT, "Time precision")
                .define(BINARY_HANDLING_MODE, Type.STRING, "bytes", Importance.LOW,
                        "How binary values are written: bytes, base64, base64-url-safe or hex.", RECORDS_GROUP, 5,
                        ConfigDef.Width.SHORT, "Binary handling")
                .define(INTERVAL_HANDLING_MODE, Type.STRING, "numeric", Importance.LOW,
                        "How intervals are written: numeric (microseconds) or string (ISO-8601).", RECORDS_GROUP, 6,
                        ConfigDef.Width.SHORT, "Interval handling")
                .define(HSTORE_HANDLING_MODE, Type.STRING, "json", Importance.LOW,
                        "How hstore values are written: json or map.", RECORDS_GROUP, 7, ConfigDef.Width.SHORT,
                        "Hstore handling")
                .define(UNAVAILABLE_VALUE_PLACEHOLDER, Type.STRING, "__debezium_unavailable_value", Importance.LOW,
                        "What an unchanged TOASTed value is written as.", RECORDS_GROUP, 8, ConfigDef.Width.MEDIUM,
                        "Unavailable value placeholder");
    }

    // ---- Exactly-once source support (KIP-618): a property of our own, under a prefix Debezium does not use. ----

    /**
     * With {@code transaction.boundary=connector} on an exactly-once worker: at most this many records per Kafka
     * transaction; a PostgreSQL transaction with more is committed in several Kafka transactions.
     */
    public static final String TRANSACTION_MAX_RECORDS = "pgoutput.transaction.max.records";

    /**
     * Default of {@value #TRANSACTION_MAX_RECORDS}. A Kafka transaction must commit within the producer's
     * {@code transaction.timeout.ms} (60 s by default) of its first record. End to end into Kafka this connector
     * moved 3–5k records/s cold and 8–10k warm on 2 cores (docs/KAFKA-CONNECT.md), so 10,000 records take 1–3 s:
     * a margin of 20× and more for slower producers, brokers or converters, while transactions of everyday size
     * (far below 10,000 rows) stay whole.
     */
    public static final int DEFAULT_TRANSACTION_MAX_RECORDS = 10_000;

    static {
        CONFIG_DEF.define(TRANSACTION_MAX_RECORDS, Type.INT, DEFAULT_TRANSACTION_MAX_RECORDS,
                ConfigDef.Range.atLeast(1), Importance.LOW,
                "With transaction.boundary=connector on an exactly-once worker: at most this many records per Kafka "
                        + "transaction. Each PostgreSQL transaction is one Kafka transaction up to this size; a larger "
                        + "one is committed in several, so that none outlives transaction.timeout.ms.",
                "Exactly once", 1, ConfigDef.Width.SHORT, "Records per Kafka transaction");
    }

    /** {@value #TRANSACTION_MAX_RECORDS}. */
    public int transactionMaxRecords() {
        return getInt(TRANSACTION_MAX_RECORDS);
    }

    /** {@value #TOMBSTONES_ON_DELETE}. */
    public boolean tombstonesOnDelete() {
        return getBoolean(TOMBSTONES_ON_DELETE);
    }

    /** {@value #SKIPPED_OPERATIONS}, lower case; {@code none} is an empty list. */
    public java.util.List<String> skippedOperations() {
        java.util.List<String> ops = getList(SKIPPED_OPERATIONS).stream().map(String::trim)
                .map(s -> s.toLowerCase(java.util.Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        return ops.contains("none") ? java.util.List.of() : ops;
    }

    /** {@value #SKIPPED_OPERATIONS} as the library's operations. */
    public java.util.Set<dev.pgoutput.api.Op> skippedOperationsAsOps() {
        java.util.Set<dev.pgoutput.api.Op> ops = java.util.EnumSet.noneOf(dev.pgoutput.api.Op.class);
        for (String code : skippedOperations()) {
            switch (code) {
                case "c" -> ops.add(dev.pgoutput.api.Op.CREATE);
                case "u" -> ops.add(dev.pgoutput.api.Op.UPDATE);
                case "d" -> ops.add(dev.pgoutput.api.Op.DELETE);
                case "t" -> ops.add(dev.pgoutput.api.Op.TRUNCATE);
                default -> { }
            }
        }
        return ops;
    }

    /** The record format options, for {@code dev.pgoutput.schema.SchemaOptions#fromProperties}. */
    public Map<String, String> schemaProperties() {
        Map<String, String> m = new java.util.HashMap<>();
        for (String key : java.util.List.of(DECIMAL_HANDLING_MODE, TIME_PRECISION_MODE, BINARY_HANDLING_MODE,
                INTERVAL_HANDLING_MODE, HSTORE_HANDLING_MODE, UNAVAILABLE_VALUE_PLACEHOLDER)) {
            m.put(key, getString(key));
        }
        return m;
    }
}
