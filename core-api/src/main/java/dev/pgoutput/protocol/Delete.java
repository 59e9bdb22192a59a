package dev.pgoutput.protocol;

/**
 * Delete ({@code 'D'}).
 *
 * @param xid        transaction id inside a streamed block, otherwise 0
 * @param relationId the table's OID
 * @param oldKind    {@code 'K'} (old key) or {@code 'O'} (old row, replica identity FULL)
 * @param oldTuple   the old key or row
 */
public record Delete(int xid, int relationId, char oldKind, TupleData oldTuple) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'D';
    }
}
