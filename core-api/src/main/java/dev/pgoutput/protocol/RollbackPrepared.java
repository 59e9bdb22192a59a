package dev.pgoutput.protocol;

/**
 * Rollback Prepared ({@code 'r'}): a prepared transaction was rolled back (protocol 3+).
 *
 * @param flags             unused (0)
 * @param prepareEndLsn     the end LSN of the prepared transaction
 * @param rollbackEndLsn    the end LSN of the rollback
 * @param prepareTimestamp  prepare time, microseconds since 2000-01-01 UTC
 * @param rollbackTimestamp rollback time, microseconds since 2000-01-01 UTC
 * @param xid               the transaction id
 * @param gid               the global transaction identifier
 */
public record RollbackPrepared(int flags, long prepareEndLsn, long rollbackEndLsn, long prepareTimestamp,
                               long rollbackTimestamp, int xid, String gid) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'r';
    }
}
