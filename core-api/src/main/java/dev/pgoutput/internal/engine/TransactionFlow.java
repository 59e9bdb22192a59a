package dev.pgoutput.internal.engine;

import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.protocol.PgOutputMessage;

/**
 * The ordinary transaction machinery, as the handlers of streamed and prepared transactions use it: a
 * kept transaction is delivered as one ordinary transaction once its outcome is known, and an early one
 * passes its changes and its outcome through here. Implemented by {@link EventAssembler}.
 */
interface TransactionFlow {

    /** What becomes of a kept transaction's Relation messages once it is delivered. */
    enum SchemaScope {
        /**
         * A committed streamed transaction: the server sent its Relations for it alone and counts them as
         * sent from its commit on, so those of tables that have no description outside it are kept.
         */
        ADOPT_UNKNOWN,
        /**
         * Dropped: a prepared transaction's were applied when they arrived (the server counted them sent
         * then); a streamed one delivered at its PREPARE is not committed, and the server sends them again.
         */
        DISCARD
    }

    /** Whether an ordinary transaction is open. */
    boolean inTransaction();

    /** The end LSN of the last transaction's commit passed on (the first half of Debezium's sequence). */
    long lastCommitLsn();

    /**
     * Opens a transaction delivered at its PREPARE ({@code deliverOnPrepare}): its events are marked
     * uncommitted, and it is a resend if its xid was delivered before.
     */
    void beginPrepared(int xid, long prepareLsn, long prepareTimestamp, String gid);

    /** Ends the open transaction at {@code endLsn}; the slot may pass it once its events are acknowledged. */
    void commit(long commitLsn, long endLsn);

    /**
     * Delivers the kept messages of {@code xid} as one ordinary transaction committed at {@code commitLsn}
     * (nothing when none were kept).
     *
     * @param uncommitted whether its events are delivered before its outcome (at PREPARE)
     */
    void deliverKept(int xid, long commitLsn, long endLsn, long commitTimestamp, String gid, boolean uncommitted,
                     SchemaScope scope);

    /**
     * The commit of a transaction whose events were delivered before it: its outcome, and the slot may
     * move past it; nothing when it was passed on already (a resend).
     */
    void finishEarly(int xid, long commitLsn, long endLsn, String gid);

    /** Delivers one change of a transaction whose outcome is not known, in the context given. */
    void deliverEarly(PgOutputMessage change, long lsn, TransactionContext tx);

    /** Applies a Relation or Type message to the relation cache that every transaction sees. */
    void applySchema(PgOutputMessage schema);

    /** Passes on the outcome of a transaction delivered before it, in order with the events. */
    void outcome(TransactionOutcome.Kind kind, int xid, int subXid, String gid, long lsn);
}
