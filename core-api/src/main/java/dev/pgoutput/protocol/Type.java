package dev.pgoutput.protocol;

/**
 * Type ({@code 'Y'}): the name of a non-built-in data type, sent before the Relation that uses it.
 *
 * @param xid       transaction id inside a streamed block, otherwise 0
 * @param typeOid   the type's OID
 * @param namespace the type's schema; empty for {@code pg_catalog}
 * @param name      the type's name
 */
public record Type(int xid, int typeOid, String namespace, String name) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'Y';
    }
}
