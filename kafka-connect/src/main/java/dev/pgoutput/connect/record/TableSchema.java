package dev.pgoutput.connect.record;

import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.Row;
import dev.pgoutput.schema.ColumnDefinition;
import dev.pgoutput.schema.ColumnMapping;
import dev.pgoutput.schema.ColumnMappings;
import dev.pgoutput.schema.DebeziumSchema;
import dev.pgoutput.schema.EventSchemas;
import dev.pgoutput.schema.SchemaOptions;
import dev.pgoutput.types.PgType;
import dev.pgoutput.types.TypeCatalog;
import dev.pgoutput.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * One table's Connect schemas (key, value, envelope) and column mappings, made from its catalog facts and the
 * column descriptors the stream gave; and the conversion of its rows to {@code Value} and {@code Key} structs.
 */
final class TableSchema {

    /** A column that Debezium includes: its mapping and its Connect field schema. */
    private record MappedColumn(ColumnMapping mapping, Schema schema) {
    }

    final String topic;
    final Schema keySchema;
    final Schema valueSchema;
    final Schema envelopeSchema;
    private final List<MappedColumn> columns;
    private final List<MappedColumn> keyColumns;
    private final Map<String, ColumnDescriptor> streamed;

    private TableSchema(String topic, Schema keySchema, Schema valueSchema, Schema envelopeSchema,
                        List<MappedColumn> columns, List<MappedColumn> keyColumns,
                        Map<String, ColumnDescriptor> streamed) {
        this.topic = topic;
        this.keySchema = keySchema;
        this.valueSchema = valueSchema;
        this.envelopeSchema = envelopeSchema;
        this.columns = columns;
        this.keyColumns = keyColumns;
        this.streamed = streamed;
    }

    /**
     * Builds the schemas of a table.
     *
     * @param topic    {@code <prefix>.<schema>.<table>}
     * @param table    the catalog's facts
     * @param row      a row of the table from the stream (for its resolved value types), or null
     * @param options  the handling modes
     */
    static TableSchema of(String topic, TableCatalog.Table table, Row row, SchemaOptions options) {
        Map<String, ColumnDescriptor> streamed = new HashMap<>();
        if (row != null) {
            row.columns().forEach(c -> streamed.put(c.name(), c));
        }
        List<MappedColumn> columns = new ArrayList<>();
        Map<String, MappedColumn> byName = new HashMap<>();
        List<DebeziumSchema.Field> valueFields = new ArrayList<>();
        for (TableCatalog.Column c : table.columns()) {
            ColumnDescriptor d = streamed.get(c.name());
            ValueType type = d != null ? d.valueType() : catalogType(c);
            ColumnDefinition definition = new ColumnDefinition(c.name(), c.typeOid(), c.baseName(), c.typeModifier(),
                    type, c.notNull(), c.defaultExpression(), c.enumLabels());
            ColumnMappings.of(definition, options).ifPresent(m -> {
                MappedColumn mc = new MappedColumn(m, ConnectSchemas.toConnect(m.schema()));
                columns.add(mc);
                byName.put(c.name(), mc);
                valueFields.add(new DebeziumSchema.Field(c.name(), m.schema()));
            });
        }
        List<MappedColumn> keyColumns = new ArrayList<>();
        List<DebeziumSchema.Field> keyFields = new ArrayList<>();
        for (String k : table.keyColumns()) {
            MappedColumn mc = byName.get(k);
            if (mc != null) {
                keyColumns.add(mc);
                keyFields.add(new DebeziumSchema.Field(k, mc.mapping().schema()));
            }
        }
        DebeziumSchema value = EventSchemas.value(topic, valueFields);
        Schema keySchema = keyFields.isEmpty() ? null : ConnectSchemas.toConnect(EventSchemas.key(topic, keyFields));
        Schema envelope = ConnectSchemas.toConnect(EventSchemas.envelope(topic, value));
        return new TableSchema(topic, keySchema, envelope.field("after").schema(), envelope, List.copyOf(columns),
                List.copyOf(keyColumns), Map.copyOf(streamed));
    }

    /** A column's value type from the catalog alone, when the stream has not described the column yet. */
    private static ValueType catalogType(TableCatalog.Column c) {
        if (!c.enumLabels().isEmpty()) {
            return ValueType.builtin(PgType.TEXT);
        }
        return ValueType.resolve(c.baseOid(), c.baseName(), TypeCatalog.NONE);
    }

    /**
     * Whether {@code row}, a whole row of the table, shows columns other than the ones this schema was made from:
     * a column added, dropped, renamed or retyped (the stream sent a new Relation message), or a schema first made
     * from a key-only row. The catalog is read again then. A key-only old row (REPLICA IDENTITY DEFAULT) says
     * nothing about the other columns and never makes a schema stale.
     */
    boolean isStaleFor(Row row) {
        if (row == null || row.columns().stream().allMatch(ColumnDescriptor::key)
                && row.columns().size() < columns.size()) {
            return false;
        }
        if (row.columns().size() != streamed.size()) {
            return true;
        }
        for (ColumnDescriptor c : row.columns()) {
            ColumnDescriptor known = streamed.get(c.name());
            if (known == null || known.typeOid() != c.typeOid() || known.typeModifier() != c.typeModifier()) {
                return true;
            }
        }
        return false;
    }

    /** The {@code Value} struct of a row; columns the row lacks are null (then default or empty, as Debezium). */
    Struct value(Map<String, Object> row) {
        Struct s = new Struct(valueSchema);
        for (MappedColumn c : columns) {
            s.put(c.mapping().name(), ConnectSchemas.toConnectValue(c.schema(), valueOf(c, row)));
        }
        return s;
    }

    /** The {@code Key} struct of a row, or null for a keyless table. */
    Struct key(Map<String, Object> row) {
        if (keySchema == null) {
            return null;
        }
        Struct s = new Struct(keySchema);
        for (MappedColumn c : keyColumns) {
            s.put(c.mapping().name(), ConnectSchemas.toConnectValue(c.schema(), valueOf(c, row)));
        }
        return s;
    }

    private static Object valueOf(MappedColumn c, Map<String, Object> row) {
        String name = c.mapping().name();
        if (row instanceof Row r) {
            int i = r.indexOf(name);
            if (i < 0) {
                return c.mapping().convert(null);
            }
            if (c.mapping().usesServerText() && r.form(i) == dev.pgoutput.api.ValueForm.TEXT) {
                return c.mapping().convert(new String(r.valueBuffer(i), r.valueOffset(i), r.valueLength(i),
                        StandardCharsets.UTF_8));
            }
            return c.mapping().convert(r.value(i));
        }
        return c.mapping().convert(row.get(name));
    }
}
