package dev.pgoutput.protocol;

/**
 * Insert ({@code 'I'}).
 *
 * @param xid        transaction id inside a streamed block, otherwise 0
 * @param relationId the table's OID
 * @param newTuple   the inserted row
 */
public record Insert(int xid, int relationId, TupleData newTuple) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'I';
    }
}
