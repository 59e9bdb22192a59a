package dev.pgoutput.connect;

import dev.pgoutput.api.LogicalReplicationReader;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source connector that streams a PostgreSQL database through {@code pgoutput} with
 * pgoutput-decoder, configured like Debezium's PostgreSQL connector (see {@link PgOutputConnectorConfig}).
 *
 * <p>One slot is one walsender stream, so the connector runs one task whatever {@code tasks.max} says, as
 * Debezium's does.
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
 * <p>A foundation: its records are not Debezium's yet (see {@link PgOutputSourceTask}).
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
        this.properties = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PgOutputSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(properties);
    }

    @Override
    public void stop() {
        // Nothing to release: the task owns the replication connection.
    }

    @Override
    public ConfigDef config() {
        return PgOutputConnectorConfig.CONFIG_DEF;
    }
}
