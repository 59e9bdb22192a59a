/**
 * Debezium-compatible JSON for change events, written with jackson-core's streaming generator:
 * {@link dev.pgoutput.json.DebeziumJson} for one event (pretty or compact),
 * {@link dev.pgoutput.json.JsonLinesWriter} for a stream of events as JSON Lines, and
 * {@link dev.pgoutput.json.DebeziumJsonSerializerProvider}, the {@code debezium-json} format for
 * {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * String pretty = DebeziumJson.toJson(event);          // 2-space indent
 * String line = DebeziumJson.toJson(event, 0);         // compact
 * }</pre>
 */
package dev.pgoutput.json;
