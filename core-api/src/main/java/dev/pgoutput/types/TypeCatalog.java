package dev.pgoutput.types;

import java.util.Optional;

/**
 * Looks types up in the server's catalog, for the user-defined types that pgoutput names only by OID
 * (composites, domains, enums, ranges, arrays of them, extension types). Implementations cache what they
 * found; {@link #forget} drops an entry when the server announces that a type may have changed.
 *
 * <p>A lookup that fails (no catalog access, a type dropped meanwhile) returns empty: values of that type
 * are then delivered in their text form (or as {@link PgUnknownValue}), never as an error.
 */
public interface TypeCatalog {

    /** A catalog that knows nothing: user-defined types arrive as text. */
    TypeCatalog NONE = new TypeCatalog() {
        @Override
        public Optional<TypeInfo> find(int oid) {
            return Optional.empty();
        }

        @Override
        public void forget(int oid) {
        }
    };

    /** The type with this OID, from the cache or the catalog. */
    Optional<TypeInfo> find(int oid);

    /** Drops a cached entry so that the next {@link #find} reads the catalog again. */
    void forget(int oid);
}
