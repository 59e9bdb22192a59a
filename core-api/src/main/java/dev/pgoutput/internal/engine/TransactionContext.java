package dev.pgoutput.internal.engine;

import dev.pgoutput.api.Uncommitted;

/**
 * What every event of one transaction shares: fixed at its Begin (an Origin message that follows makes a
 * new context), so that a transaction's events never see another's fields.
 *
 * @param txId          the transaction id (unsigned)
 * @param finalLsn      the commit LSN (the PREPARE's for a transaction delivered at PREPARE; 0 for changes
 *                      delivered before their commit)
 * @param commitTimeMs  the commit time, Unix milliseconds (0 when not known yet)
 * @param lastCommitLsn the commit LSN of the transaction passed on before this one, for Debezium's sequence
 * @param origin        the replication origin that applied the transaction, or null
 * @param gid           the prepared transaction's gid, or null
 * @param uncommitted   set when the events are delivered before the transaction's outcome, else null
 */
record TransactionContext(long txId, long finalLsn, long commitTimeMs, long lastCommitLsn, String origin, String gid,
                          Uncommitted uncommitted) {

    /** The same transaction, applied by the replication origin {@code name}. */
    TransactionContext withOrigin(String name) {
        return new TransactionContext(txId, finalLsn, commitTimeMs, lastCommitLsn, name, gid, uncommitted);
    }
}
