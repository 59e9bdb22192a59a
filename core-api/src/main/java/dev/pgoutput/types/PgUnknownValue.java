package dev.pgoutput.types;

import java.util.Arrays;

/**
 * The binary send form of a value whose type this library cannot convert (an extension's base type,
 * say), with the type's name so that the application can decode it.
 *
 * @param typeName the type's name, for example {@code "public.geometry"} or {@code "oid:16500"}
 * @param bytes    a copy of the value's bytes
 */
public record PgUnknownValue(String typeName, byte[] bytes) {

    @Override
    public boolean equals(Object o) {
        return o instanceof PgUnknownValue u && u.typeName.equals(typeName) && Arrays.equals(u.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return typeName.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return typeName + "[" + bytes.length + " bytes]";
    }
}
