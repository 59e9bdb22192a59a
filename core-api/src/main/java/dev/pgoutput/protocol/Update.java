package dev.pgoutput.protocol;

/**
 * Update ({@code 'U'}).
 *
 * @param xid        transaction id inside a streamed block, otherwise 0
 * @param relationId the table's OID
 * @param oldKind    {@code 'K'} (old key), {@code 'O'} (old row, replica identity FULL) or {@code 0} when
 *                   no old tuple was sent
 * @param oldTuple   the old key or row, or {@code null} when {@code oldKind} is 0
 * @param newTuple   the new row; may hold unchanged-TOAST columns
 */
public record Update(int xid, int relationId, char oldKind, TupleData oldTuple, TupleData newTuple)
        implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'U';
    }
}
