package dev.pgoutput.internal.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one reader already delivered, so that it delivers nothing twice across reconnects. After a
 * reconnect the server sends again every transaction from the slot's confirmed position, including ones
 * this reader already passed on: those are recognised by their commit LSN (unique per transaction, and
 * in WAL order) or, for transactions delivered before their outcome, by their xid, and dropped. A
 * transaction cut off by the loss comes again from its start; the events delivered before the loss are
 * counted off. Engine thread only.
 */
final class ResendFilter {

    /** How many early-delivered xids are remembered; the server resends only what is after the slot. */
    private static final int REMEMBERED_XIDS = 65_536;

    /** Commit LSN of the last transaction whose Commit was passed on. */
    private long lastCompletedFinalLsn;
    /** Commit LSN of the transaction that was open when the connection was lost, or 0. */
    private long interruptedFinalLsn;
    /** How many events of that interrupted transaction were passed on before the loss. */
    private int interruptedEmitted;
    /** Events of the open transaction seen so far (passed on or skipped). */
    private int emittedInTransaction;
    /** Events still to skip at the start of a resent, interrupted transaction. */
    private int toSkip;
    /** Whether the open transaction was already passed on whole and is being dropped. */
    private boolean resend;
    /**
     * LSN of the last non-transactional message passed on. The slot's position moves only with
     * transactions, so after a reconnect the server may send such a message again.
     */
    private long lastNonTransactionalLsn;
    /**
     * Transactions delivered early whose final outcome was passed on (or, for prepared ones, that were
     * delivered at PREPARE): a PREPARE from before two-phase was on for the slot comes at its COMMIT
     * PREPARED, behind transactions with later LSNs, so the LSN alone cannot tell.
     */
    private final Map<Integer, Boolean> deliveredEarly = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > REMEMBERED_XIDS;
        }
    };

    /** A transaction ending at {@code finalLsn} begins; a resend if one at or after it completed. */
    void begin(long finalLsn) {
        start(finalLsn <= lastCompletedFinalLsn, finalLsn);
    }

    /** A transaction delivered at its PREPARE begins; a resend if its xid was delivered before. */
    void beginByXid(int xid, long finalLsn) {
        start(deliveredEarly.containsKey(xid), finalLsn);
    }

    private void start(boolean isResend, long finalLsn) {
        emittedInTransaction = 0;
        resend = isResend;
        toSkip = !isResend && finalLsn == interruptedFinalLsn ? interruptedEmitted : 0;
    }

    /** Whether the open transaction is a resend of one passed on whole. */
    boolean isResend() {
        return resend;
    }

    /**
     * Counts one event of the open transaction and says whether to pass it on: not when the whole
     * transaction is a resend, nor while the part of an interrupted one delivered before comes again.
     */
    boolean passOn() {
        emittedInTransaction++;
        if (resend) {
            return false;
        }
        if (toSkip > 0) {
            toSkip--;
            return false;
        }
        return true;
    }

    /**
     * The open transaction, ending at {@code finalLsn}, commits; returns whether its commit is to be
     * passed on (false for a resend).
     */
    boolean complete(long finalLsn) {
        if (resend) {
            resend = false;
            return false;
        }
        if (finalLsn == interruptedFinalLsn) {
            interruptedFinalLsn = 0;
        }
        // A PREPARE delivered at once (deliverOnPrepare) may come after transactions with later LSNs.
        lastCompletedFinalLsn = Math.max(lastCompletedFinalLsn, finalLsn);
        return true;
    }

    /**
     * An outcome without events at {@code lsn} (a commit of a transaction delivered early, a rollback):
     * returns whether it is new, and records it.
     */
    boolean completeOutcome(long lsn) {
        if (lsn <= lastCompletedFinalLsn) {
            return false;
        }
        lastCompletedFinalLsn = lsn;
        return true;
    }

    /** A position the slot may pass without an outcome (a streamed PREPARE delivered early). */
    void completedAt(long lsn) {
        lastCompletedFinalLsn = Math.max(lastCompletedFinalLsn, lsn);
    }

    /** Whether a non-transactional message at {@code lsn} is new; records it when it is. */
    boolean firstNonTransactional(long lsn) {
        if (lsn <= lastNonTransactionalLsn) {
            return false;
        }
        lastNonTransactionalLsn = lsn;
        return true;
    }

    /** The transaction {@code xid} was delivered before its outcome, or its outcome was passed on. */
    void deliveredEarly(int xid) {
        deliveredEarly.put(xid, Boolean.TRUE);
    }

    /** Whether {@code xid} was delivered early before (see {@link #deliveredEarly(int)}). */
    boolean wasDeliveredEarly(int xid) {
        return deliveredEarly.containsKey(xid);
    }

    /**
     * The connection was lost with a transaction open (ending at {@code finalLsn}) or not: remember how far
     * it got, so that when the server sends it again its first events are not delivered twice.
     */
    void connectionLost(boolean transactionOpen, long finalLsn) {
        if (transactionOpen && !resend) {
            // A resend that was itself cut short may not have got as far as the first attempt.
            interruptedEmitted = finalLsn == interruptedFinalLsn
                    ? Math.max(interruptedEmitted, emittedInTransaction) : emittedInTransaction;
            interruptedFinalLsn = finalLsn;
        }
        resend = false;
        toSkip = 0;
    }
}
