package dev.pgoutput.connect;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReplicationSlots;
import dev.pgoutput.api.SlotInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source connector that streams a PostgreSQL database through {@code pgoutput} with
 * pgoutput-decoder, configured like Debezium's PostgreSQL connector (see {@link PgOutputConnectorConfig}).
 *
 * <p>One slot is one walsender stream, so the connector runs one task whatever {@code tasks.max} says, as
 * Debezium's does, unless {@code pgoutput.task.split=tables} asks for the tables to be split over {@code tasks.max}
 * tasks with a slot and a publication each ({@link TaskSplit}).
 *
 * <pre>{@code
 * {
 *   "connector.class": "dev.pgoutput.connect.PgOutputSourceConnector",
 *   "database.hostname": "localhost", "database.user": "postgres", "database.password": "secret",
 *   "database.dbname": "shop", "topic.prefix": "shop",
 *   "slot.name": "shop_slot", "publication.name": "shop_pub"
 * }
 * }</pre>
 *
 * <p>Exactly-once source support (KIP-618): {@link #exactlyOnceSupport} and {@link #canDefineTransactionBoundaries}
 * are {@code SUPPORTED}. With {@code transaction.boundary=connector} each PostgreSQL transaction is one Kafka
 * transaction (up to {@value PgOutputConnectorConfig#TRANSACTION_MAX_RECORDS} records), see
 * {@link PgOutputSourceTask}.
 *
 * <p>{@link #validate} reports, by name, every property the connector neither defines nor accepts as a harmless
 * no-op (a Debezium property it does not support is never silently ignored), values it does not support, and
 * then the live setup: the connection, the publication (with the SQL that creates it) and the slot (another
 * plugin's or database's, with the SQL that fixes it).
 */
public final class PgOutputSourceConnector extends SourceConnector {

    private Map<String, String> properties;

    /** Creates the connector; Connect calls {@link #start} next. */
    public PgOutputSourceConnector() {
    }

    @Override
    public String version() {
        return LogicalReplicationReader.version();
    }

    @Override
    public void start(Map<String, String> props) {
        // Parsed once here so that a missing or invalid property fails the connector, not only its task.
        new PgOutputConnectorConfig(props);
        // pgoutput.task.split (ours, outside Debezium's definition): its value and what it cannot be combined with.
        TaskSplit.CONNECTOR_DEF.parse(props);
        TaskSplit.problems(props).values().stream().findFirst().ifPresent(problem -> {
            throw new org.apache.kafka.common.config.ConfigException(problem);
        });
        this.properties = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PgOutputSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // One task unless pgoutput.task.split=tables asks for a split (see TaskSplit).
        return SplitPublications.taskConfigs(properties, maxTasks);
    }

    @Override
    public void stop() {
        // Nothing to release: the task owns the replication connection.
    }

    /**
     * Supported: the task's source offsets say exactly which changes its records hold (the slot is confirmed only
     * up to the offsets stored, and events before the stored offset are skipped on restart), so offsets committed
     * in the records' Kafka transaction resume the stream exactly after the last committed record.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** Supported: the task commits one Kafka transaction per PostgreSQL transaction (see the class comment). */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.SUPPORTED;
    }

    /** Connect's own connector properties (and prefixes), which the worker reads, not the connector. */
    private static final List<String> CONNECT_PREFIXES = List.of("name", "connector.class", "tasks.max",
            "key.converter", "value.converter", "header.converter", "transforms", "predicates", "errors.",
            "config.action.reload", "topic.creation.", "exactly.once.support", "transaction.boundary",
            "offsets.storage.topic", "producer.override.", "consumer.override.", "admin.override.", "plugin.version");

    /**
     * The properties of Debezium's embedded engine (Debezium Server's runtime), which passes its own configuration
     * to the connector's {@code validate()} along with the connector's (seen with debezium-embedded 3.6.1: it adds
     * its defaults for these, so they are there even when the user set none).
     */
    private static final List<String> ENGINE_PREFIXES = List.of("offset.storage", "offset.flush.",
            "offset.commit.policy", "record.processing.", "bootstrap.servers", "task.management.timeout.ms",
            "internal.task.management.timeout.ms");

    @Override
    public Config validate(Map<String, String> props) {
        Config config = super.validate(props);
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        config.configValues().forEach(v -> values.put(v.name(), v));
        boolean parsed = values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        for (Map.Entry<String, String> e : props.entrySet()) {
            String key = e.getKey();
            if (!TaskSplit.CONNECTOR_DEF.names().contains(key) && !ReplicationSettings.NO_OPS.contains(key)
                    && CONNECT_PREFIXES.stream().noneMatch(key::startsWith)
                    && ENGINE_PREFIXES.stream().noneMatch(key::startsWith)) {
                ConfigValue unsupported = new ConfigValue(key, e.getValue(), new java.util.ArrayList<>(), new java.util.ArrayList<>());
                unsupported.addErrorMessage(key + " is not supported by " + getClass().getSimpleName()
                        + " (see the README's property table); remove it or run Debezium's connector");
                values.put(key, unsupported);
            }
        }
        if (parsed) {
            PgOutputConnectorConfig parsedConfig = new PgOutputConnectorConfig(props);
            ReplicationSettings settings = ReplicationSettings.of(parsedConfig);
            settings.problems(props).forEach((key, problem) -> values.get(key).addErrorMessage(problem));
            Map<String, String> eventProblems = EventSettings.of(parsedConfig, props).problems();
            eventProblems.forEach((key, problem) -> values.get(key).addErrorMessage(problem));
            Map<String, String> splitProblems = TaskSplit.problems(props);
            splitProblems.forEach((key, problem) -> values.get(key).addErrorMessage(problem));
            if (settings.problems(props).isEmpty() && eventProblems.isEmpty() && splitProblems.isEmpty()) {
                checkServer(parsedConfig, settings, values);
                if (TaskSplit.requested(props)) {
                    SplitPublications.check(parsedConfig, settings, props, values);
                }
            }
        }
        return new Config(List.copyOf(values.values()));
    }

    /** The live checks: connection, publication, slot. */
    private static void checkServer(PgOutputConnectorConfig config, ReplicationSettings settings,
            Map<String, ConfigValue> values) {
        try (Connection c = PublicationCatalog.connect(config, settings)) {
            Optional<List<String>> tables = PublicationCatalog.publishedTables(c, config.publicationName());
            if (tables.isEmpty()) {
                values.get(PgOutputConnectorConfig.PUBLICATION_NAME).addErrorMessage("publication "
                        + config.publicationName() + " does not exist in database " + config.databaseName()
                        + "; create it: " + PublicationCatalog.createSql(config.publicationName(), List.of()));
            } else if (settings.filtersTables() && settings.selectTables(tables.get()).isEmpty()) {
                values.get(ReplicationSettings.TABLE_INCLUDE_LIST).addErrorMessage("no table of publication "
                        + config.publicationName() + " " + tables.get() + " is left by the table lists");
            }
        } catch (SQLException e) {
            values.get(PgOutputConnectorConfig.DATABASE_HOSTNAME).addErrorMessage("cannot connect to "
                    + config.hostname() + ":" + config.port() + "/" + config.databaseName() + " as " + config.user()
                    + ": " + e.getMessage());
            return;
        }
        try {
            LogicalReplicationReader.Builder connection = PgOutputSourceTask.connection(config, settings);
            for (SlotInfo slot : ReplicationSlots.list(connection.connectionSettings())) {
                if (!slot.name().equals(config.slotName())) {
                    continue;
                }
                if (!"pgoutput".equals(slot.plugin())) {
                    values.get(PgOutputConnectorConfig.SLOT_NAME).addErrorMessage("slot " + slot.name()
                            + " decodes with " + slot.plugin() + ", not pgoutput; drop it (its unread changes are "
                            + "lost) with SELECT pg_drop_replication_slot('" + slot.name() + "'); or use another slot.name");
                } else if (!config.databaseName().equals(slot.database())) {
                    values.get(PgOutputConnectorConfig.SLOT_NAME).addErrorMessage("slot " + slot.name()
                            + " belongs to database " + slot.database() + "; use another slot.name");
                }
            }
        } catch (PgOutputException e) {
            values.get(PgOutputConnectorConfig.DATABASE_USER).addErrorMessage(e.getMessage());
        }
    }

    @Override
    public ConfigDef config() {
        // Debezium's properties and ours (pgoutput.task.split).
        return TaskSplit.CONNECTOR_DEF;
    }
}
