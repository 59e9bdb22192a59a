package dev.pgoutput.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A schema as Debezium sends it, independent of Kafka Connect: the same parts as a Connect {@code Schema} (type,
 * optionality, logical name and version, parameters in order, default, doc, struct fields, array items, map keys
 * and values), so that a Connect adapter and a JSON writer ({@code schemas.enable=true}) can both render it.
 * Converters and schema registries serialise every part, so every part matters.
 *
 * <pre>{@code
 * DebeziumSchema date = DebeziumSchema.of(DebeziumSchema.Type.INT32).named("io.debezium.time.Date", 1).asOptional();
 * }</pre>
 *
 * @param type         the physical type
 * @param optional     whether the value may be null
 * @param name         the logical name, or {@code null}
 * @param version      the logical version, or {@code null}
 * @param parameters   the parameters, in order (never null)
 * @param defaultValue the default, in the representation of {@link ColumnMapping#convert}, or {@code null}
 * @param doc          the documentation string, or {@code null}
 * @param fields       the fields of a {@link Type#STRUCT}, in order (otherwise empty)
 * @param items        the element schema of an {@link Type#ARRAY}, or the value schema of a {@link Type#MAP}
 * @param keys         the key schema of a {@link Type#MAP}, otherwise {@code null}
 */
public record DebeziumSchema(Type type, boolean optional, String name, Integer version, Map<String, String> parameters,
                             Object defaultValue, String doc, List<Field> fields, DebeziumSchema items,
                             DebeziumSchema keys) {

    /** The physical types, as Connect names them. */
    public enum Type {
        /** 8-bit signed integer. */
        INT8,
        /** 16-bit signed integer. */
        INT16,
        /** 32-bit signed integer. */
        INT32,
        /** 64-bit signed integer. */
        INT64,
        /** 32-bit floating point. */
        FLOAT32,
        /** 64-bit floating point. */
        FLOAT64,
        /** Boolean. */
        BOOLEAN,
        /** UTF-8 string. */
        STRING,
        /** Byte array. */
        BYTES,
        /** A list of {@link #items()}. */
        ARRAY,
        /** A map from {@link #keys()} to {@link #items()}. */
        MAP,
        /** An ordered set of named {@link #fields()}. */
        STRUCT
    }

    /**
     * A field of a struct.
     *
     * @param name   the field name
     * @param schema its schema
     */
    public record Field(String name, DebeziumSchema schema) {
        /** Checks both parts. */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }
    }

    /** Copies the collections, keeping their order. */
    public DebeziumSchema {
        Objects.requireNonNull(type, "type");
        parameters = parameters == null || parameters.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** A required schema of a primitive type, without name or parameters. */
    public static DebeziumSchema of(Type type) {
        return new DebeziumSchema(type, false, null, null, Map.of(), null, null, List.of(), null, null);
    }

    /** A required struct with these fields. */
    public static DebeziumSchema struct(String name, Integer version, List<Field> fields) {
        return new DebeziumSchema(Type.STRUCT, false, name, version, Map.of(), null, null, fields, null, null);
    }

    /** A required array of {@code items}. */
    public static DebeziumSchema array(DebeziumSchema items) {
        return new DebeziumSchema(Type.ARRAY, false, null, null, Map.of(), null, null, List.of(), items, null);
    }

    /** A required map. */
    public static DebeziumSchema map(DebeziumSchema keys, DebeziumSchema values) {
        return new DebeziumSchema(Type.MAP, false, null, null, Map.of(), null, null, List.of(), values, keys);
    }

    /** This schema with a logical name and version. */
    public DebeziumSchema named(String newName, Integer newVersion) {
        return new DebeziumSchema(type, optional, newName, newVersion, parameters, defaultValue, doc, fields, items,
                keys);
    }

    /** This schema, optional. */
    public DebeziumSchema asOptional() {
        return withOptional(true);
    }

    /** This schema with the given optionality. */
    public DebeziumSchema withOptional(boolean newOptional) {
        return new DebeziumSchema(type, newOptional, name, version, parameters, defaultValue, doc, fields, items,
                keys);
    }

    /** This schema with one more parameter (after the existing ones). */
    public DebeziumSchema withParameter(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put(key, value);
        return new DebeziumSchema(type, optional, name, version, p, defaultValue, doc, fields, items, keys);
    }

    /** This schema with a default value. */
    public DebeziumSchema withDefault(Object value) {
        return new DebeziumSchema(type, optional, name, version, parameters, value, doc, fields, items, keys);
    }

    /** This schema with a doc string. */
    public DebeziumSchema withDoc(String newDoc) {
        return new DebeziumSchema(type, optional, name, version, parameters, defaultValue, newDoc, fields, items,
                keys);
    }

    /** The field named {@code fieldName}, or {@code null}. */
    public Field field(String fieldName) {
        for (Field f : fields) {
            if (f.name().equals(fieldName)) {
                return f;
            }
        }
        return null;
    }
}
