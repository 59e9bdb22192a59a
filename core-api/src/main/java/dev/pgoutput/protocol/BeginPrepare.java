package dev.pgoutput.protocol;

/**
 * Begin Prepare ({@code 'b'}): the start of a prepared transaction (protocol 3+).
 *
 * @param prepareLsn       the LSN of the prepare record
 * @param endLsn           the end LSN of the prepared transaction
 * @param prepareTimestamp prepare time, microseconds since 2000-01-01 UTC
 * @param xid              the transaction id
 * @param gid              the global transaction identifier
 */
public record BeginPrepare(long prepareLsn, long endLsn, long prepareTimestamp, int xid, String gid)
        implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'b';
    }
}
