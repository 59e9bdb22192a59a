package dev.pgoutput.protocol;

/**
 * Commit ({@code 'C'}): the end of a transaction.
 *
 * @param flags           currently unused by the server (0)
 * @param commitLsn       the LSN of the commit record
 * @param endLsn          the end LSN of the transaction (one past its commit record); the position to
 *                        acknowledge once every change of the transaction is handled
 * @param commitTimestamp commit time, microseconds since 2000-01-01 UTC
 */
public record Commit(int flags, long commitLsn, long endLsn, long commitTimestamp) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'C';
    }
}
