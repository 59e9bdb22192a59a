package dev.pgoutput.schema;

import dev.pgoutput.api.UnchangedToast;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One column's Debezium schema and the conversion of its values from the library's Java values (see the README's
 * type table) to Debezium's representation: {@code Integer} days for {@code io.debezium.time.Date}, {@code Long}
 * microseconds for {@code MicroTimestamp}, UTC strings for {@code ZonedTimestamp}, a {@code Map} in field order for
 * a struct ({@code VariableScaleDecimal}, {@code Point}), a {@code List} for an array, {@code byte[]} for BYTES,
 * {@link java.math.BigDecimal} for Connect's {@code Decimal}. Made by {@link ColumnMappings#of}.
 *
 * <pre>{@code
 * ColumnMapping m = ColumnMappings.of(definition, SchemaOptions.defaults());
 * Object debezium = m.convert(row.value(i));
 * }</pre>
 */
public final class ColumnMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ColumnMapping.class);

    private final String name;
    private final DebeziumSchema schema;
    private final Function<Object, Object> converter;
    private final boolean serverText;
    private final Object fallback;
    private final String placeholder;

    ColumnMapping(String name, DebeziumSchema schema, Function<Object, Object> converter, boolean serverText,
                  Object fallback, String placeholder) {
        this.name = Objects.requireNonNull(name, "name");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.converter = converter;
        this.serverText = serverText;
        this.fallback = fallback;
        this.placeholder = placeholder;
    }

    /** The column (and field) name. */
    public String name() {
        return name;
    }

    /** The field's schema, optionality and default included. */
    public DebeziumSchema schema() {
        return schema;
    }

    /**
     * Whether Debezium writes the server's text form of the value (ranges, network addresses, ...): a caller
     * that has the text ({@code Row.form(i) == TEXT}) passes it as a {@code String} to {@link #convert}.
     */
    public boolean usesServerText() {
        return serverText;
    }

    /**
     * The Debezium value of one column value.
     *
     * <p>{@code null} (SQL NULL, or a column the server did not send, as the non-key columns of a delete under
     * REPLICA IDENTITY DEFAULT) becomes {@code null} for an optional field, otherwise the schema's default, otherwise
     * the type's empty value (0, {@code ""}, empty bytes, ...), as Debezium's converters do. {@link
     * UnchangedToast#VALUE} becomes the unavailable-value placeholder.
     */
    public Object convert(Object value) {
        if (value == UnchangedToast.VALUE) {
            return placeholder();
        }
        Object converted = null;
        if (value != null) {
            try {
                converted = converter.apply(value);
            } catch (RuntimeException e) {
                // Debezium too writes null (or the fallback) for a value it cannot convert, with a warning.
                LOG.warn("Cannot convert a value of column {} to {}: {}", name, schema.name() != null ? schema.name()
                        : schema.type(), e.toString());
            }
        }
        if (converted != null) {
            return converted;
        }
        if (schema.optional()) {
            return null;
        }
        return schema.defaultValue() != null ? schema.defaultValue() : fallback;
    }

    private Object placeholder() {
        return switch (schema.type()) {
            case STRING -> placeholder;
            case BYTES -> placeholder.getBytes(StandardCharsets.UTF_8);
            case ARRAY -> schema.items().type() == DebeziumSchema.Type.STRING ? List.of(placeholder) : null;
            default -> schema.optional() ? null : fallback;
        };
    }

    @Override
    public String toString() {
        return name + ":" + schema;
    }
}
