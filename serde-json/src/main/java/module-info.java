/**
 * Debezium JSON for pgoutput-decoder change events. Only jackson-core (the streaming generator) is needed
 * at run time.
 *
 * <pre>{@code
 * String json = dev.pgoutput.json.DebeziumJson.toJson(event);
 * }</pre>
 */
module dev.pgoutput.json {
    // Transitive: the public API takes ChangeEvent, so users of this module see the core's types.
    requires transitive dev.pgoutput.core;
    requires com.fasterxml.jackson.core;

    exports dev.pgoutput.json;

    provides dev.pgoutput.spi.SerializerProvider with dev.pgoutput.json.DebeziumJsonSerializerProvider;
}
