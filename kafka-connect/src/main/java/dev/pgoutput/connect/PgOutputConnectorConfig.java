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
 * and read by {@link ReplicationSettings}; {@link PgOutputSourceConnector#validate} reports every property that is
 * neither defined here nor a harmless no-op by name.
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
}
