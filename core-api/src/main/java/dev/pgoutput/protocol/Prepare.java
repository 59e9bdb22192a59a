package dev.pgoutput.protocol;

/**
 * Prepare ({@code 'P'}): a transaction was prepared for two-phase commit (protocol 3+).
 *
 * @param flags            unused (0)
 * @param prepareLsn       the LSN of the prepare record
 * @param endLsn           the end LSN of the prepared transaction
 * @param prepareTimestamp prepare time, microseconds since 2000-01-01 UTC
 * @param xid              the transaction id
 * @param gid              the global transaction identifier
 */
public record Prepare(int flags, long prepareLsn, long endLsn, long prepareTimestamp, int xid, String gid)
        implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'P';
    }
}
