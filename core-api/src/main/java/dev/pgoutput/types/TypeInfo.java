package dev.pgoutput.types;

import java.util.List;

/**
 * What the catalog ({@code pg_type}, {@code pg_range}, {@code pg_attribute}) says about a type, as far as
 * converting its values needs.
 *
 * @param oid          the type's OID
 * @param namespace    its schema
 * @param name         its {@code typname}
 * @param kind         {@code typtype}: {@code b} base, {@code c} composite, {@code d} domain, {@code e} enum,
 *                     {@code r} range, {@code m} multirange, {@code p} pseudo
 * @param baseOid      for a domain, the type it is based on; otherwise 0
 * @param elementOid   for an array type, its element type; otherwise 0
 * @param delimiter    for an array type, the element type's {@code typdelim}; otherwise {@code ','}
 * @param subtypeOid   for a range, its subtype; for a multirange, its range type; otherwise 0
 * @param attributes   for a composite, its live attributes in order; otherwise empty
 */
public record TypeInfo(int oid, String namespace, String name, char kind, int baseOid, int elementOid,
                       char delimiter, int subtypeOid, List<Attribute> attributes) {

    /** Copies the attributes into an immutable list. */
    public TypeInfo {
        attributes = List.copyOf(attributes);
    }

    /**
     * One attribute of a composite type.
     *
     * @param name    attribute name
     * @param typeOid attribute type
     */
    public record Attribute(String name, int typeOid) {
    }

    /** {@code name} for types in {@code pg_catalog}, {@code namespace.name} otherwise. */
    public String qualifiedName() {
        return namespace.isEmpty() || namespace.equals("pg_catalog") ? name : namespace + "." + name;
    }
}
