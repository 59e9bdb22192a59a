package dev.pgoutput.protocol;

/**
 * Stream Commit ({@code 'c'}): a streamed transaction committed (protocol 2+).
 *
 * @param xid             the transaction
 * @param flags           unused (0)
 * @param commitLsn       the LSN of the commit record
 * @param endLsn          the end LSN of the transaction
 * @param commitTimestamp commit time, microseconds since 2000-01-01 UTC
 */
public record StreamCommit(int xid, int flags, long commitLsn, long endLsn, long commitTimestamp)
        implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'c';
    }
}
