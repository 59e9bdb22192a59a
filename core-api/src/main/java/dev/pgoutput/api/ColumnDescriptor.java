package dev.pgoutput.api;

/**
 * A published column as the server described it.
 *
 * @param name         column name
 * @param typeOid      data type OID
 * @param typeName     data type name, for example {@code "int4"} or {@code "public.mood"}
 * @param typeModifier type modifier, -1 when none
 * @param key          whether the column is part of the replica identity
 */
public record ColumnDescriptor(String name, int typeOid, String typeName, int typeModifier, boolean key) {
}
