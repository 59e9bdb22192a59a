package dev.pgoutput.protocol;

/**
 * Commit Prepared ({@code 'K'}): a prepared transaction committed (protocol 3+).
 *
 * @param flags           unused (0)
 * @param commitLsn       the LSN of the commit record
 * @param endLsn          the end LSN of the commit
 * @param commitTimestamp commit time, microseconds since 2000-01-01 UTC
 * @param xid             the transaction id
 * @param gid             the global transaction identifier
 */
public record CommitPrepared(int flags, long commitLsn, long endLsn, long commitTimestamp, int xid, String gid)
        implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'K';
    }
}
