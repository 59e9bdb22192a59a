package dev.pgoutput.connect.record;

import dev.pgoutput.schema.DebeziumSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Renders the Connect-independent {@link DebeziumSchema} model as Connect schemas, and values in its
 * representation as Connect values (a {@code Map} in field order becomes a {@link Struct}, Connect's {@code
 * Date}, {@code Time} and {@code Timestamp} get the {@link java.util.Date} Connect wants).
 */
public final class ConnectSchemas {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private ConnectSchemas() {
    }

    /** The Connect schema of {@code s}, every part copied (name, version, parameters, default, doc, fields). */
    public static Schema toConnect(DebeziumSchema s) {
        SchemaBuilder b = switch (s.type()) {
            case INT8 -> SchemaBuilder.int8();
            case INT16 -> SchemaBuilder.int16();
            case INT32 -> SchemaBuilder.int32();
            case INT64 -> SchemaBuilder.int64();
            case FLOAT32 -> SchemaBuilder.float32();
            case FLOAT64 -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
            case STRING -> SchemaBuilder.string();
            case BYTES -> SchemaBuilder.bytes();
            case ARRAY -> SchemaBuilder.array(toConnect(s.items()));
            case MAP -> SchemaBuilder.map(toConnect(s.keys()), toConnect(s.items()));
            case STRUCT -> {
                SchemaBuilder struct = SchemaBuilder.struct();
                for (DebeziumSchema.Field f : s.fields()) {
                    struct.field(f.name(), toConnect(f.schema()));
                }
                yield struct;
            }
        };
        if (s.name() != null) {
            b.name(s.name());
        }
        if (s.version() != null) {
            b.version(s.version());
        }
        if (!s.parameters().isEmpty()) {
            b.parameters(s.parameters());
        }
        if (s.doc() != null) {
            b.doc(s.doc());
        }
        if (s.optional()) {
            b.optional();
        }
        if (s.defaultValue() != null) {
            b.defaultValue(toConnectValue(b, s.defaultValue()));
        }
        return b.build();
    }

    /** The Connect value of {@code value} (in the model's representation) under {@code schema}. */
    public static Object toConnectValue(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "org.apache.kafka.connect.data.Date" -> {
                    return new java.util.Date(((Number) value).longValue() * MILLIS_PER_DAY);
                }
                case "org.apache.kafka.connect.data.Time", "org.apache.kafka.connect.data.Timestamp" -> {
                    return new java.util.Date(((Number) value).longValue());
                }
                default -> {
                }
            }
        }
        return switch (schema.type()) {
            case STRUCT -> {
                Map<?, ?> m = (Map<?, ?>) value;
                Struct struct = new Struct(schema);
                for (org.apache.kafka.connect.data.Field f : schema.fields()) {
                    struct.put(f, toConnectValue(f.schema(), m.get(f.name())));
                }
                yield struct;
            }
            case ARRAY -> {
                List<?> list = (List<?>) value;
                List<Object> out = new ArrayList<>(list.size());
                for (Object e : list) {
                    out.add(toConnectValue(schema.valueSchema(), e));
                }
                yield out;
            }
            default -> value;
        };
    }
}
