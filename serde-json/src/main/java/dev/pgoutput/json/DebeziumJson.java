package dev.pgoutput.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.pgoutput.api.ChangeEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Debezium JSON for one change event: the payload of a Debezium PostgreSQL change event, without the
 * Kafka Connect schema.
 *
 * <pre>{@code
 * for (ChangeEvent e : reader) {
 *     System.out.println(DebeziumJson.toJson(e));      // pretty, 2-space indent
 *     String line = DebeziumJson.toJson(e, 0);          // compact, one line
 *     DebeziumJson.write(e, out, 0);                    // straight to an OutputStream
 * }
 * }</pre>
 *
 * <h2>Shape</h2>
 * {@code {"before": {...}|null, "after": {...}|null, "source": {"version", "connector", "name", "ts_ms",
 * "snapshot", "db", "schema", "table", "lsn", "txId", "sequence", "xmin"}, "op": "c", "ts_ms", "ts_us",
 * "ts_ns"}}, fields in that order.
 *
 * <h2>Values</h2>
 * <ul>
 *   <li>{@code int2}, {@code int4}, {@code int8}, {@code oid}: JSON numbers, copied from the message text.</li>
 *   <li>{@code numeric}: a JSON number with exactly the digits the server sent (never rounded through a
 *       double; parse it with {@code BigDecimal} to keep them); {@code NaN}, {@code Infinity},
 *       {@code -Infinity} as strings.</li>
 *   <li>{@code float4}, {@code float8}: JSON numbers as the server printed them; {@code NaN},
 *       {@code Infinity}, {@code -Infinity} as strings.</li>
 *   <li>{@code bool}: {@code true}/{@code false}.</li>
 *   <li>{@code text}, {@code varchar}, {@code bpchar}, {@code name}, {@code "char"}, {@code json},
 *       {@code jsonb}, {@code uuid} and types without a conversion: strings (json and jsonb as their text,
 *       as Debezium does).</li>
 *   <li>{@code bytea} and binary-format values: base64 strings (Debezium's default
 *       {@code binary.handling.mode=bytes}).</li>
 *   <li>{@code date} {@code "2024-03-01"}, {@code time} {@code "13:45:00.123456"}, {@code timestamp}
 *       {@code "2024-03-01T13:45:00.5"}, {@code timestamptz} in UTC {@code "2024-03-01T08:15:00Z"}: ISO-8601
 *       strings with all the fractional digits the server sent; {@code infinity}/{@code -infinity} as
 *       those strings.</li>
 *   <li>arrays: JSON arrays of their elements, by the same rules.</li>
 *   <li>SQL NULL: {@code null}; an unchanged TOAST value: {@code "__debezium_unavailable_value"}.</li>
 * </ul>
 * Strings are UTF-8 and not escaped beyond what JSON requires; bytes that are not well-formed UTF-8
 * become U+FFFD. Maps that are not rows of this library (hand-made ones) are written by the same rules
 * from their Java values.
 *
 * <h2>Layout</h2>
 * {@code indent} 0 writes one line with no spaces. A positive {@code indent} writes what Python's
 * {@code json.dumps(obj, indent=n, ensure_ascii=False)} writes: every object member and array element on
 * its own line, nested {@code indent} spaces deeper, {@code "key": value} with one space after the colon,
 * empty containers as {@code {}} and {@code []}, lines ended by {@code \n} on every platform, no trailing
 * newline.
 *
 * <p>All methods are thread-safe. To stream many events, use {@link JsonLinesWriter}.
 */
public final class DebeziumJson {

    /** The indent of {@link #toJson(ChangeEvent)}. */
    public static final int DEFAULT_INDENT = 2;

    /** The largest indent accepted; a larger one is almost certainly a mistake. */
    public static final int MAX_INDENT = 32;

    /**
     * The one factory for every generator of this module. The writers decide themselves when to close
     * and flush the caller's stream, and an event that failed half-way is not "completed" with closing
     * brackets.
     */
    static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .rootValueSeparator((String) null)
            .build();

    /** Prototype pretty printers by indent (index 0 unused); each generator gets its own instance. */
    private static final DefaultPrettyPrinter[] PRETTY_PRINTERS = prettyPrinters();

    private DebeziumJson() {
    }

    /**
     * The event as pretty JSON with a 2-space indent.
     *
     * @throws dev.pgoutput.types.ValueFormatException when a value that must be converted is malformed
     */
    public static String toJson(ChangeEvent event) {
        return toJson(event, DEFAULT_INDENT);
    }

    /**
     * The event as JSON.
     *
     * @param indent spaces per nesting level, 0 for one compact line (0 to {@value #MAX_INDENT})
     * @throws IllegalArgumentException when {@code indent} is out of range
     * @throws dev.pgoutput.types.ValueFormatException when a value that must be converted is malformed
     */
    public static String toJson(ChangeEvent event, int indent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            write(event, out, indent);
        } catch (IOException e) {
            // A byte array does not fail; Jackson's own limits (nesting depth of a hand-made map) may.
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the event as UTF-8 JSON, with no newline after it. The stream is neither flushed nor closed.
     * When a value fails to convert, part of the event may already have been written; use
     * {@link JsonLinesWriter} for a stream that only ever receives whole events.
     *
     * @param indent spaces per nesting level, 0 for one compact line (0 to {@value #MAX_INDENT})
     * @throws IllegalArgumentException when {@code indent} is out of range
     * @throws IOException when the stream fails
     */
    public static void write(ChangeEvent event, OutputStream out, int indent) throws IOException {
        write(event, out, indent, JsonOptions.DEFAULTS);
    }

    /**
     * Writes the event as UTF-8 JSON with value options ({@code decimal.handling.mode}, ...), with no
     * newline after it. The stream is neither flushed nor closed.
     *
     * @param indent  spaces per nesting level, 0 for one compact line (0 to {@value #MAX_INDENT})
     * @param options how values are written
     * @throws IOException when the stream fails
     */
    public static void write(ChangeEvent event, OutputStream out, int indent, JsonOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(out, "out");
        checkIndent(indent);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            if (indent > 0) {
                gen.setPrettyPrinter(PRETTY_PRINTERS[indent].createInstance());
            }
            new EventWriter(gen, options).write(event);
        }
    }

    static void checkIndent(int indent) {
        if (indent < 0 || indent > MAX_INDENT) {
            throw new IllegalArgumentException("indent must be between 0 (compact) and " + MAX_INDENT + ", was " + indent);
        }
    }

    private static DefaultPrettyPrinter[] prettyPrinters() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("")
                .withRootSeparator(null);
        DefaultPrettyPrinter[] printers = new DefaultPrettyPrinter[MAX_INDENT + 1];
        for (int indent = 1; indent <= MAX_INDENT; indent++) {
            // "\n", not the platform's line separator: the output must not depend on the machine.
            DefaultIndenter indenter = new DefaultIndenter(" ".repeat(indent), "\n");
            printers[indent] = new DefaultPrettyPrinter(separators)
                    .withObjectIndenter(indenter)
                    .withArrayIndenter(indenter);
        }
        return printers;
    }
}
