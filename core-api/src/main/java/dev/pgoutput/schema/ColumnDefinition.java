package dev.pgoutput.schema;

import dev.pgoutput.types.ValueType;
import java.util.List;
import java.util.Objects;

/**
 * What the type mapping needs to know about a column: what the stream says (name, type, modifier, the resolved
 * {@link ValueType}) and what only the catalog says ({@code NOT NULL}, the default expression, an enum's labels).
 * pgoutput's Relation message carries no NOT NULL, no default and no labels: a connector reads them from
 * {@code pg_attribute}, {@code pg_attrdef} and {@code pg_enum}.
 *
 * <pre>{@code
 * new ColumnDefinition("qty", PgType.INT4, "int4", -1, ValueType.builtin(PgType.INT4), true, "0", List.of());
 * }</pre>
 *
 * @param name              the column name
 * @param typeOid           the column's type OID (a domain's own OID for a domain column)
 * @param typeName          the type's name, for example {@code int4} or {@code public.mood}
 * @param typeModifier      the type modifier (a domain's base modifier for a domain column), -1 when none
 * @param valueType         how the library converts the values (domains resolved to their base type)
 * @param notNull           whether the column is {@code NOT NULL}
 * @param defaultExpression {@code pg_get_expr} of the column's default, or {@code null}
 * @param enumLabels        the labels of an enum type (or of an array's enum element type) in sort order;
 *                          empty otherwise
 */
public record ColumnDefinition(String name, int typeOid, String typeName, int typeModifier, ValueType valueType,
                               boolean notNull, String defaultExpression, List<String> enumLabels) {

    /** Checks and copies the parts. */
    public ColumnDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        enumLabels = enumLabels == null ? List.of() : List.copyOf(enumLabels);
    }
}
