package dev.pgoutput.connect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium 3.6.1's heartbeats ({@code heartbeat.interval.ms} &gt; 0): each time the interval has passed, {@code
 * heartbeat.action.query} (if set) runs on a JDBC connection of its own, then a record goes to {@code
 * __debezium-heartbeat.<prefix>}: key {@code io.debezium.connector.common.ServerNameKey} v1 {@code {serverName}},
 * value {@code io.debezium.connector.common.Heartbeat} v1 {@code {ts_ms}}, Kafka partition 0 and no headers, as
 * Debezium's {@code HeartbeatImpl} writes it.
 *
 * <p>The record's source offset is the one of the last event the task took from the reader, so the heartbeat
 * lets Connect store (and, through the {@link AcknowledgementLedger}, the slot confirm) nothing that a record
 * before it does not already allow: it is one more entry in the ledger, behind the records still in flight. What
 * it adds is an offset flush while the captured tables are idle; the slot itself is moved over WAL of other
 * tables by the reader when nothing is pending. Before the first event of a task that found no stored offset, the
 * offset is the slot's confirmed position ({@code lsn}, {@code lsn_proc}), which claims nothing the slot does not.
 *
 * <p>A failing action query is logged and the heartbeat written anyway, as Debezium does. Used by the task's
 * {@code poll()} thread only.
 */
final class Heartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

    private static final Schema KEY_SCHEMA = SchemaBuilder.struct().name("io.debezium.connector.common.ServerNameKey")
            .version(1).field("serverName", Schema.STRING_SCHEMA).build();
    private static final Schema VALUE_SCHEMA = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat")
            .version(1).field("ts_ms", Schema.INT64_SCHEMA).build();

    /** Opens the connection the action query runs on. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final String topic;
    private final Struct key;
    private final long intervalNanos;
    private final String actionQuery;
    private final ConnectionSource connections;
    private final LongSupplier nanoTime;
    private long due;
    private Connection connection;

    /**
     * @param topic       {@code __debezium-heartbeat.<prefix>}
     * @param serverName  {@code topic.prefix}, the key
     * @param interval    {@code heartbeat.interval.ms}, more than zero
     * @param actionQuery {@code heartbeat.action.query}, or null
     * @param connections where the action query's connection comes from (opened on the first beat, again after
     *                    a failure)
     * @param nanoTime    the clock ({@link System#nanoTime()} outside tests)
     */
    Heartbeats(String topic, String serverName, Duration interval, String actionQuery, ConnectionSource connections,
               LongSupplier nanoTime) {
        this.topic = topic;
        this.key = new Struct(KEY_SCHEMA).put("serverName", serverName);
        this.intervalNanos = interval.toNanos();
        this.actionQuery = actionQuery;
        this.connections = connections;
        this.nanoTime = nanoTime;
        this.due = nanoTime.getAsLong() + intervalNanos;
    }

    /**
     * The heartbeat record when the interval has passed since the last one (or the start), else null; runs the
     * action query first.
     *
     * @param offset the source offset to write (the last event's, or the stored one); null: no heartbeat yet
     */
    SourceRecord beatIfDue(Map<String, ?> partition, Map<String, ?> offset) {
        long now = nanoTime.getAsLong();
        if (now - due < 0) {
            return null;
        }
        due = now + intervalNanos;
        if (actionQuery != null) {
            runActionQuery();
        }
        if (offset == null || offset.isEmpty()) {
            return null;
        }
        Struct value = new Struct(VALUE_SCHEMA).put("ts_ms", System.currentTimeMillis());
        return new SourceRecord(partition, offset, topic, 0, KEY_SCHEMA, key, VALUE_SCHEMA, value);
    }

    private void runActionQuery() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connections.open();
                connection.setAutoCommit(true);
            }
            try (Statement s = connection.createStatement()) {
                s.execute(actionQuery);
            }
        } catch (SQLException e) {
            LOG.error("Could not execute heartbeat action query (SQLState {}): {}", e.getSQLState(), e.getMessage());
            close();
        }
    }

    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("Closing the heartbeat connection: {}", e.getMessage());
            }
        }
    }
}
