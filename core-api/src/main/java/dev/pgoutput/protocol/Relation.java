package dev.pgoutput.protocol;

import java.util.List;

/**
 * Relation ({@code 'R'}): the shape of a table, sent before its first change in a session and again
 * after its schema changes.
 *
 * @param xid             transaction id inside a streamed block, otherwise 0
 * @param relationId      the table's OID
 * @param namespace       the schema name; the server sends an empty string for {@code pg_catalog}
 * @param name            the table name
 * @param replicaIdentity {@code relreplident}: {@code 'd'} default, {@code 'n'} nothing, {@code 'f'} full,
 *                        {@code 'i'} index
 * @param columns         the published columns in order
 */
public record Relation(int xid, int relationId, String namespace, String name, char replicaIdentity,
                       List<Column> columns) implements PgOutputMessage {

    /** Replica identity DEFAULT (the primary key). */
    public static final char IDENTITY_DEFAULT = 'd';
    /** Replica identity NOTHING. */
    public static final char IDENTITY_NOTHING = 'n';
    /** Replica identity FULL (the whole old row). */
    public static final char IDENTITY_FULL = 'f';
    /** Replica identity USING INDEX. */
    public static final char IDENTITY_INDEX = 'i';

    /** Makes an immutable copy of the column list. */
    public Relation {
        columns = List.copyOf(columns);
    }

    /**
     * One published column.
     *
     * @param flags        1 when the column is part of the replica identity
     * @param name         the column name
     * @param typeOid      the column's data type OID
     * @param typeModifier the type modifier ({@code atttypmod}), -1 when none
     */
    public record Column(int flags, String name, int typeOid, int typeModifier) {
        /** Whether the column is part of the replica identity (flag bit 1). */
        public boolean isKey() {
            return (flags & 1) != 0;
        }
    }

    @Override
    public char typeCode() {
        return 'R';
    }
}
