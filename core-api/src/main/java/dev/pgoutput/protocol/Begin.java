package dev.pgoutput.protocol;

/**
 * Begin ({@code 'B'}): the start of a transaction.
 *
 * @param finalLsn        the LSN of the transaction's commit record
 * @param commitTimestamp commit time, microseconds since 2000-01-01 UTC
 * @param xid             the transaction id
 */
public record Begin(long finalLsn, long commitTimestamp, int xid) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'B';
    }
}
