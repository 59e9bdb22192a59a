/**
 * A Kafka Connect source connector on pgoutput-decoder: {@link dev.pgoutput.connect.PgOutputSourceConnector},
 * configured with Debezium's PostgreSQL property names.
 *
 * <p>Kafka's jars are not modules: {@code connect-api} (and {@code kafka-clients}, which it needs) are read as
 * automatic modules named after their files. Connect itself loads plugins from the class path or a plugin
 * directory, never from the module path, so this descriptor serves compilation and users who embed the
 * connector in a modular application.
 */
module dev.pgoutput.connect {
    requires dev.pgoutput.core;
    requires dev.pgoutput.json;
    requires org.slf4j;
    requires java.sql;
    // Automatic modules (no Automatic-Module-Name in Kafka 4.3.1's manifests): named after the jar files.
    requires connect.api;
    requires kafka.clients;

    exports dev.pgoutput.connect;

    provides org.apache.kafka.connect.source.SourceConnector with dev.pgoutput.connect.PgOutputSourceConnector;
}
