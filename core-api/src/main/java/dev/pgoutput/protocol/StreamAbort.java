package dev.pgoutput.protocol;

/**
 * Stream Abort ({@code 'A'}): a streamed transaction or one of its subtransactions aborted (protocol 2+).
 *
 * @param xid            the top-level transaction
 * @param subXid         the aborted (sub)transaction; equal to {@code xid} for the top level
 * @param abortLsn       the abort LSN, sent only with protocol 4 and {@code streaming = parallel}; else 0
 * @param abortTimestamp the abort time, sent only with protocol 4 and parallel streaming; else 0
 */
public record StreamAbort(int xid, int subXid, long abortLsn, long abortTimestamp) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'A';
    }
}
