package dev.pgoutput.api;

/**
 * Marks an event delivered before its transaction's outcome was known: with
 * {@code deliverUncommitted(true)} the changes of a transaction the server streams while it is in
 * progress, with {@code deliverOnPrepare(true)} those of a prepared transaction. The outcome follows
 * later as a {@link TransactionOutcome} for the same {@code txId}, passed to the listener set with the
 * builder's {@code transactionOutcomes(...)}.
 *
 * @param txId    the top-level transaction
 * @param subTxId the (sub)transaction that made the change; equal to {@code txId} at the top level. A
 *                {@link TransactionOutcome.Kind#ABORTED} outcome naming it voids this event.
 * @param gid     the gid of a prepared transaction, or {@code null} for a streamed one
 */
public record Uncommitted(long txId, long subTxId, String gid) {
}
