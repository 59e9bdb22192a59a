package dev.pgoutput.json;

import dev.pgoutput.spi.EventSerializer;
import dev.pgoutput.spi.SerializerProvider;
import java.util.Map;

/**
 * The {@code debezium-json} format for {@link java.util.ServiceLoader}: {@link DebeziumJson} behind the
 * {@link SerializerProvider} interface, so that the engine and the CLI find it by name.
 *
 * <pre>{@code
 * EventSerializer json = ServiceLoader.load(SerializerProvider.class).stream()
 *         .map(ServiceLoader.Provider::get)
 *         .filter(p -> p.format().equals("debezium-json"))
 *         .findFirst().orElseThrow()
 *         .create(Map.of("indent", "0"));          // compact; default is 2
 * byte[] bytes = json.serialize(event);
 * }</pre>
 *
 * <p>Options: {@code indent} — spaces per nesting level, 0 (one compact line) to
 * {@value DebeziumJson#MAX_INDENT}, default {@value DebeziumJson#DEFAULT_INDENT}; and the value options of
 * {@link JsonOptions} by their Debezium names ({@code decimal.handling.mode}, {@code binary.handling.mode},
 * {@code interval.handling.mode}, {@code time.precision.mode}). Any other option is an error.
 */
public final class DebeziumJsonSerializerProvider implements SerializerProvider {

    /** The format name. */
    public static final String FORMAT = "debezium-json";

    /** The option that sets the indent. */
    public static final String INDENT = "indent";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public DebeziumJsonSerializerProvider() {
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /**
     * Creates a serializer.
     *
     * @param options {@code indent} (optional); {@code null} means no options
     * @throws IllegalArgumentException for an unknown option or an indent that is not an integer in range
     */
    @Override
    public EventSerializer create(Map<String, String> options) {
        int indent = DebeziumJson.DEFAULT_INDENT;
        JsonOptions values = JsonOptions.DEFAULTS;
        if (options != null) {
            for (Map.Entry<String, String> option : options.entrySet()) {
                if (INDENT.equals(option.getKey())) {
                    indent = parseIndent(option.getValue());
                    continue;
                }
                JsonOptions next = values.with(option.getKey(), option.getValue());
                if (next == null) {
                    throw new IllegalArgumentException("unknown option '" + option.getKey() + "' for format "
                            + FORMAT + "; valid options: " + INDENT + " (0 for compact, 1 to "
                            + DebeziumJson.MAX_INDENT + " spaces; default " + DebeziumJson.DEFAULT_INDENT + "), "
                            + JsonOptions.DECIMAL_HANDLING_MODE + ", " + JsonOptions.BINARY_HANDLING_MODE + ", "
                            + JsonOptions.INTERVAL_HANDLING_MODE + ", " + JsonOptions.TIME_PRECISION_MODE);
                }
                values = next;
            }
        }
        return new DebeziumJsonSerializer(indent, values);
    }

    private static int parseIndent(String value) {
        int indent;
        try {
            indent = Integer.parseInt(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + INDENT + " of format " + FORMAT
                    + " must be an integer from 0 to " + DebeziumJson.MAX_INDENT + ", was '" + value + "'", e);
        }
        if (indent < 0 || indent > DebeziumJson.MAX_INDENT) {
            throw new IllegalArgumentException("option " + INDENT + " of format " + FORMAT
                    + " must be from 0 (compact) to " + DebeziumJson.MAX_INDENT + ", was " + indent);
        }
        return indent;
    }
}
