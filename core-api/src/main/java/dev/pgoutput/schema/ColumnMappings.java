package dev.pgoutput.schema;

import dev.pgoutput.schema.DebeziumSchema.Type;
import dev.pgoutput.types.PgType;
import dev.pgoutput.types.ValueType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Debezium 3.6.1's type mapping for PostgreSQL columns: the schema of each column type in each handling mode,
 * and its value conversion.
 *
 * <pre>{@code
 * Optional<ColumnMapping> m = ColumnMappings.of(definition, SchemaOptions.defaults());
 * m.isEmpty(); // Debezium leaves the column out (a type it does not know, include.unknown.datatypes=false)
 * }</pre>
 *
 * <p>Types Debezium leaves out (seen in its output): {@code pg_lsn}, {@code xid}, and every type without a
 * conversion here (composites, {@code tsquery}, {@code jsonpath}, geometric types other than {@code point}, ...).
 * A {@code name} column is in the schema but its value is always null, as Debezium writes it.
 */
public final class ColumnMappings {

    /** The unconstrained {@code varbit} length Debezium writes as the {@code Bits} parameter. */
    private static final int UNBOUNDED_LENGTH = Integer.MAX_VALUE;

    private ColumnMappings() {
    }

    /** A column's part of a schema and value conversion: what {@link #scalar} returns. */
    private record Part(DebeziumSchema schema, Function<Object, Object> converter, boolean serverText,
                        Object fallback) {
    }

    /**
     * The mapping of one column, or empty when Debezium leaves the column out.
     *
     * @param column  the column, with its catalog facts
     * @param options the handling modes
     */
    public static Optional<ColumnMapping> of(ColumnDefinition column, SchemaOptions options) {
        Part part = part(column.valueType(), column, options);
        if (part == null) {
            return Optional.empty();
        }
        DebeziumSchema schema = part.schema().withOptional(!column.notNull());
        Object defaultValue = DefaultValues.parse(column, part.schema(), part.converter());
        if (defaultValue != null) {
            schema = schema.withDefault(defaultValue);
        }
        return Optional.of(new ColumnMapping(column.name(), schema, part.converter(), part.serverText(),
                part.fallback(), options.unavailableValue()));
    }

    private static Part part(ValueType type, ColumnDefinition column, SchemaOptions options) {
        return switch (type.kind()) {
            case SCALAR -> scalar(type.scalarOid(), column, options);
            case ARRAY -> array(type, column, options);
            case RANGE -> text(DebeziumSchema.of(Type.STRING), "");
            // Debezium 3.6.1 has no converter for multiranges and leaves such columns out.
            case MULTIRANGE -> null;
            case HSTORE -> options.hstoreHandling() == SchemaOptions.HstoreHandling.JSON
                    ? new Part(named(Type.STRING, "io.debezium.data.Json"), DebeziumValues::hstoreJson, false, "")
                    : new Part(DebeziumSchema.map(DebeziumSchema.of(Type.STRING),
                            DebeziumSchema.of(Type.STRING).asOptional()), v -> v, false, Map.of());
            case UNKNOWN -> isLtree(column) ? text(named(Type.STRING, "io.debezium.data.Ltree"), "") : null;
            case COMPOSITE -> null;
        };
    }

    private static boolean isLtree(ColumnDefinition column) {
        String n = column.typeName() == null ? "" : column.typeName();
        return n.equals("ltree") || n.endsWith(".ltree");
    }

    private static Part array(ValueType type, ColumnDefinition column, SchemaOptions options) {
        Part element = part(type.element(), column, options);
        if (element == null) {
            return null;
        }
        Function<Object, Object> each = element.converter();
        Function<Object, Object> converter = v -> {
            if (!(v instanceof List<?> list)) {
                return null;
            }
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(e == null ? null : each.apply(element.serverText() ? String.valueOf(e) : e));
            }
            return out;
        };
        // Debezium's enum arrays have required Enum items; every other array's items are optional.
        boolean enumItems = "io.debezium.data.Enum".equals(element.schema().name());
        return new Part(DebeziumSchema.array(enumItems ? element.schema() : element.schema().asOptional()), converter,
                false, List.of());
    }

    private static Part scalar(int oid, ColumnDefinition column, SchemaOptions options) {
        int typmod = column.typeModifier();
        return switch (oid) {
            case PgType.BOOL -> same(Type.BOOLEAN, false);
            case PgType.INT2 -> same(Type.INT16, (short) 0);
            case PgType.INT4 -> same(Type.INT32, 0);
            case PgType.INT8, PgType.OID -> new Part(DebeziumSchema.of(Type.INT64),
                    v -> v instanceof Number n ? (Object) n.longValue() : null, false, 0L);
            case PgType.FLOAT4 -> same(Type.FLOAT32, 0.0f);
            case PgType.FLOAT8 -> same(Type.FLOAT64, 0.0d);
            case PgType.NUMERIC -> numeric(typmod, options);
            case PgType.MONEY -> money(options);
            case PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.CHAR -> column.enumLabels().isEmpty()
                    ? same(Type.STRING, "")
                    : new Part(named(Type.STRING, "io.debezium.data.Enum")
                            .withParameter("allowed", String.join(",", column.enumLabels())),
                            v -> v instanceof String ? v : null, false, "");
            // Debezium 3.6.1 writes null for every value of a name column.
            case PgType.NAME -> new Part(DebeziumSchema.of(Type.STRING), v -> null, false, "");
            case PgType.BYTEA -> options.binaryHandling() == SchemaOptions.BinaryHandling.BYTES
                    ? new Part(DebeziumSchema.of(Type.BYTES), v -> DebeziumValues.binary(v, options.binaryHandling()),
                            false, new byte[0])
                    : new Part(DebeziumSchema.of(Type.STRING), v -> DebeziumValues.binary(v, options.binaryHandling()),
                            false, "");
            case PgType.JSON, PgType.JSONB -> text(named(Type.STRING, "io.debezium.data.Json"), "");
            case PgType.XML -> text(named(Type.STRING, "io.debezium.data.Xml"), "");
            case PgType.UUID -> new Part(named(Type.STRING, "io.debezium.data.Uuid"), String::valueOf, false, "");
            case PgType.TSVECTOR -> text(named(Type.STRING, "io.debezium.data.Tsvector"), "");
            case PgType.INET, PgType.CIDR, PgType.MACADDR, PgType.MACADDR8 -> text(DebeziumSchema.of(Type.STRING), "");
            case PgType.DATE -> options.timePrecision() == SchemaOptions.TimePrecision.CONNECT
                    ? new Part(named(Type.INT32, "org.apache.kafka.connect.data.Date"), DebeziumValues::epochDays,
                            false, 0)
                    : new Part(named(Type.INT32, "io.debezium.time.Date"), DebeziumValues::epochDays, false, 0);
            case PgType.TIME -> time(typmod, options);
            case PgType.TIMESTAMP -> timestamp(typmod, options);
            case PgType.TIMESTAMPTZ -> {
                int precision = typmod < 0 ? 6 : typmod;
                yield new Part(named(Type.STRING, "io.debezium.time.ZonedTimestamp"),
                        v -> DebeziumValues.zonedTimestamp(v, precision), false, "");
            }
            case PgType.TIMETZ -> new Part(named(Type.STRING, "io.debezium.time.ZonedTime"),
                    DebeziumValues::zonedTime, false, "");
            case PgType.INTERVAL -> options.intervalHandling() == SchemaOptions.IntervalHandling.NUMERIC
                    ? new Part(named(Type.INT64, "io.debezium.time.MicroDuration"), DebeziumValues::microDuration,
                            false, 0L)
                    : new Part(named(Type.STRING, "io.debezium.time.Interval"), DebeziumValues::intervalString,
                            false, "");
            case PgType.BIT, PgType.VARBIT -> bits(oid, typmod);
            case PgType.POINT -> new Part(point(), DebeziumValues::point, false, null);
            default -> null;
        };
    }

    /** The value as it is, when it is of the fallback's class (a nested array's list is not: null, as Debezium). */
    private static Part same(Type type, Object fallback) {
        Class<?> expected = fallback.getClass();
        return new Part(DebeziumSchema.of(type), v -> expected.isInstance(v) ? v : null, false, fallback);
    }

    private static Part text(DebeziumSchema schema, Object fallback) {
        return new Part(schema, String::valueOf, true, fallback);
    }

    private static DebeziumSchema named(Type type, String name) {
        return DebeziumSchema.of(type).named(name, 1);
    }

    private static Part numeric(int typmod, SchemaOptions options) {
        return switch (options.decimalHandling()) {
            case DOUBLE -> new Part(DebeziumSchema.of(Type.FLOAT64), DebeziumValues::decimalAsDouble, false, 0.0d);
            case STRING -> new Part(DebeziumSchema.of(Type.STRING), DebeziumValues::decimalAsString, false, "");
            case PRECISE -> {
                if (typmod < 4) {
                    yield new Part(variableScaleDecimal(), DebeziumValues::variableScaleDecimal, false,
                            DebeziumValues.variableScaleDecimal(BigDecimal.ZERO));
                }
                int precision = ((typmod - 4) >> 16) & 0xffff;
                int scale = (typmod - 4) & 0xffff;
                yield new Part(decimal(scale).withParameter("connect.decimal.precision", Integer.toString(precision)),
                        v -> DebeziumValues.decimal(v, scale), false, BigDecimal.ZERO.setScale(scale));
            }
        };
    }

    private static Part money(SchemaOptions options) {
        return switch (options.decimalHandling()) {
            case DOUBLE -> new Part(DebeziumSchema.of(Type.FLOAT64), DebeziumValues::decimalAsDouble, false, 0.0d);
            case STRING -> new Part(DebeziumSchema.of(Type.STRING), DebeziumValues::decimalAsString, false, "");
            case PRECISE -> new Part(decimal(2), v -> DebeziumValues.decimal(v, 2), false, BigDecimal.ZERO.setScale(2));
        };
    }

    /** Connect's {@code Decimal} logical type with its {@code scale} parameter. */
    static DebeziumSchema decimal(int scale) {
        return DebeziumSchema.of(Type.BYTES).named("org.apache.kafka.connect.data.Decimal", 1)
                .withParameter("scale", Integer.toString(scale));
    }

    /** {@code io.debezium.data.VariableScaleDecimal}. */
    static DebeziumSchema variableScaleDecimal() {
        return DebeziumSchema.struct("io.debezium.data.VariableScaleDecimal", 1, List.of(
                        new DebeziumSchema.Field("scale", DebeziumSchema.of(Type.INT32)),
                        new DebeziumSchema.Field("value", DebeziumSchema.of(Type.BYTES))))
                .withDoc("Variable scaled decimal");
    }

    /** {@code io.debezium.data.geometry.Point}. */
    static DebeziumSchema point() {
        return DebeziumSchema.struct("io.debezium.data.geometry.Point", 1, List.of(
                        new DebeziumSchema.Field("x", DebeziumSchema.of(Type.FLOAT64)),
                        new DebeziumSchema.Field("y", DebeziumSchema.of(Type.FLOAT64)),
                        new DebeziumSchema.Field("wkb", DebeziumSchema.of(Type.BYTES).asOptional()),
                        new DebeziumSchema.Field("srid", DebeziumSchema.of(Type.INT32).asOptional())))
                .withDoc("Geometry (POINT)");
    }

    private static Part time(int typmod, SchemaOptions options) {
        int precision = typmod < 0 ? 6 : typmod;
        return switch (options.timePrecision()) {
            case CONNECT -> new Part(named(Type.INT32, "org.apache.kafka.connect.data.Time"),
                    DebeziumValues::milliTime, false, 0);
            case ADAPTIVE -> precision <= 3
                    ? new Part(named(Type.INT32, "io.debezium.time.Time"), DebeziumValues::milliTime, false, 0)
                    : new Part(named(Type.INT64, "io.debezium.time.MicroTime"), DebeziumValues::microTime, false, 0L);
            case ADAPTIVE_TIME_MICROSECONDS, MICROSECONDS -> new Part(named(Type.INT64, "io.debezium.time.MicroTime"),
                    DebeziumValues::microTime, false, 0L);
        };
    }

    private static Part timestamp(int typmod, SchemaOptions options) {
        int precision = typmod < 0 ? 6 : typmod;
        return switch (options.timePrecision()) {
            case CONNECT -> new Part(named(Type.INT64, "org.apache.kafka.connect.data.Timestamp"),
                    DebeziumValues::milliTimestamp, false, 0L);
            case ADAPTIVE, ADAPTIVE_TIME_MICROSECONDS -> precision <= 3
                    ? new Part(named(Type.INT64, "io.debezium.time.Timestamp"), DebeziumValues::milliTimestamp,
                            false, 0L)
                    : new Part(named(Type.INT64, "io.debezium.time.MicroTimestamp"), DebeziumValues::microTimestamp,
                            false, 0L);
            case MICROSECONDS -> new Part(named(Type.INT64, "io.debezium.time.MicroTimestamp"),
                    DebeziumValues::microTimestamp, false, 0L);
        };
    }

    private static Part bits(int oid, int typmod) {
        if (oid == PgType.BIT && typmod == 1) {
            return new Part(DebeziumSchema.of(Type.BOOLEAN), DebeziumValues::bit, false, false);
        }
        int length = typmod > 0 ? typmod : UNBOUNDED_LENGTH;
        int minBytes = oid == PgType.BIT && typmod > 0 ? (typmod + 7) / 8 : 0;
        return new Part(named(Type.BYTES, "io.debezium.data.Bits").withParameter("length", Integer.toString(length)),
                v -> DebeziumValues.bits(v, minBytes), false, new byte[0]);
    }
}
