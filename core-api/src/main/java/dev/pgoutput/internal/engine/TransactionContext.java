package dev.pgoutput.internal.engine;

import dev.pgoutput.api.Uncommitted;

/**
 * What every event of one transaction shares: fixed at its Begin (an Origin message that follows makes a
 * new context), so that a transaction's events never see another's fields. What every event's source
 * block repeats is made here once per transaction, not once per event: the boxed id and the first half
 * of Debezium's sequence.
 *
 * @param txId           the transaction id (unsigned)
 * @param finalLsn       the commit LSN (the PREPARE's for a transaction delivered at PREPARE; 0 for changes
 *                       delivered before their commit)
 * @param commitTimeMs   the commit time, Unix milliseconds (0 when not known yet)
 * @param lastCommitLsn  the commit LSN of the transaction passed on before this one
 * @param sequencePrefix Debezium's sequence up to this change's LSN: {@code ["<lastCommitLsn>","}
 * @param origin         the replication origin that applied the transaction, or null
 * @param gid            the prepared transaction's gid, or null
 * @param uncommitted    set when the events are delivered before the transaction's outcome, else null
 */
record TransactionContext(Long txId, long finalLsn, long commitTimeMs, long lastCommitLsn, String sequencePrefix,
                          String origin, String gid, Uncommitted uncommitted) {

    /** A transaction's context; {@code xid} is the server's unsigned 32-bit id. */
    static TransactionContext of(int xid, long finalLsn, long commitTimeMs, long lastCommitLsn, String origin,
                                 String gid, Uncommitted uncommitted) {
        return new TransactionContext(Integer.toUnsignedLong(xid), finalLsn, commitTimeMs, lastCommitLsn,
                "[" + lastCommit(lastCommitLsn) + ",\"", origin, gid, uncommitted);
    }

    /**
     * The first element of Debezium's sequence: the last commit's LSN as a string, or {@code null} (unquoted) before
     * this reader has seen a commit, as Debezium writes it.
     */
    static String lastCommit(long lastCommitLsn) {
        return lastCommitLsn == 0 ? "null" : "\"" + lastCommitLsn + "\"";
    }

    /** The same transaction, applied by the replication origin {@code name}. */
    TransactionContext withOrigin(String name) {
        return new TransactionContext(txId, finalLsn, commitTimeMs, lastCommitLsn, sequencePrefix, name, gid,
                uncommitted);
    }

    /** Debezium's sequence of a change at {@code lsn}: the last committed LSN before it and its own. */
    String sequence(long lsn) {
        return sequencePrefix + lsn + "\"]";
    }
}
