package dev.pgoutput.api;

/**
 * What became of a transaction whose events were delivered before its outcome was known (events with
 * {@link ChangeEvent#uncommitted()} set). Passed to the listener given to the builder's
 * {@code transactionOutcomes(...)}, on the thread that takes the events, after every event delivered
 * before it and before any event after it.
 *
 * <p>An outcome counts like an event for acknowledgement: the slot moves past its transaction only once
 * the listener has returned (auto-acknowledge) or it was acknowledged. A new reader therefore receives
 * again, with their outcome, the transactions whose outcome the last one did not handle; staged events
 * of an earlier run without an outcome are void. One reader never passes the same transaction on twice.
 * A ROLLBACK PREPARED may name a prepared transaction this reader never delivered (one prepared before
 * two-phase was turned on for the slot).
 *
 * <pre>{@code
 * reader = LogicalReplicationReader.builder()...
 *         .streaming(true).deliverUncommitted(true)
 *         .transactionOutcomes(o -> {
 *             switch (o.kind()) {
 *                 case COMMITTED -> staging.publish(o.txId());
 *                 case ABORTED -> staging.drop(o.txId(), o.subTxId());
 *                 case RESTARTED -> staging.drop(o.txId(), o.txId());
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * @param kind    what happened
 * @param txId    the top-level transaction
 * @param subTxId for {@link Kind#ABORTED}, the (sub)transaction that aborted: equal to {@code txId} when the
 *                whole transaction did, otherwise only the events of that subtransaction are void;
 *                equal to {@code txId} for the other kinds
 * @param gid     the gid of a prepared transaction, or {@code null}
 * @param lsn     the LSN of the commit or abort when the server sent it, otherwise 0
 */
public record TransactionOutcome(Kind kind, long txId, long subTxId, String gid, long lsn) {

    /** What became of the transaction. */
    public enum Kind {
        /** It committed: the events delivered for {@code txId} are final. */
        COMMITTED,
        /** It (or its subtransaction {@code subTxId}) aborted or was rolled back: those events are void. */
        ABORTED,
        /**
         * The connection was lost while it was in progress: the events delivered for {@code txId} are
         * void, and the server sends the transaction again from its start (with new events) if it commits.
         */
        RESTARTED
    }
}
