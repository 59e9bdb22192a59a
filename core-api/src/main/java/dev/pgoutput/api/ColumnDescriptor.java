package dev.pgoutput.api;

import dev.pgoutput.types.ValueType;
import java.util.Objects;

/**
 * A published column as the server described it.
 *
 * @param name         column name
 * @param typeOid      data type OID
 * @param typeName     data type name, for example {@code "int4"} or {@code "public.mood"}
 * @param typeModifier type modifier, -1 when none
 * @param key          whether the column is part of the replica identity
 * @param valueType    how the column's values are converted (domains resolved to their base type,
 *                     composites with their attributes, ...)
 */
public record ColumnDescriptor(String name, int typeOid, String typeName, int typeModifier, boolean key,
                               ValueType valueType) {

    /** Checks that the value type is present. */
    public ColumnDescriptor {
        Objects.requireNonNull(valueType, "valueType");
    }

    /** A column of a built-in type (user-defined types then arrive as text). */
    public ColumnDescriptor(String name, int typeOid, String typeName, int typeModifier, boolean key) {
        this(name, typeOid, typeName, typeModifier, key, ValueType.builtin(typeOid));
    }
}
