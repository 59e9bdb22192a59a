package dev.pgoutput.internal.engine;

import java.util.ArrayDeque;

/**
 * Turns "the application has handled these events" into "the server may forget WAL up to here".
 *
 * <p>Events are numbered in delivery order (the queue is FIFO, so the engine's enqueue count and the
 * consumer's delivery count name the same event). Each commit is recorded with the number of the last
 * event enqueued before it. The flush position may move to a commit's end LSN only once every event up
 * to that number is acknowledged, so it never passes what the application has: a transaction whose
 * events are partly acknowledged is not flushed, and comes again after a restart.
 *
 * <p>Thread-safe: the engine thread records commits, the consumer thread acknowledges.
 */
final class AcknowledgementTracker {

    private final ArrayDeque<long[]> pendingCommits = new ArrayDeque<>();
    private long enqueued;
    private long acknowledged;
    private long flushLsn;
    /**
     * Positions the flush must not pass, by transaction: the PREPARE of each prepared transaction whose
     * outcome has not been handled. A server restarted from before a PREPARE sends the prepared
     * transaction again; from after it, only its COMMIT PREPARED, without the changes.
     */
    private final java.util.Map<Integer, Long> holds = new java.util.HashMap<>();

    /** The engine enqueued one more event; returns its number. */
    synchronized long onEnqueued() {
        return ++enqueued;
    }

    /** The engine saw a commit ending at {@code endLsn} after all events enqueued so far. */
    synchronized void onCommit(long endLsn) {
        pendingCommits.addLast(new long[] {enqueued, endLsn});
        advance();
    }

    /** The application handled every event up to number {@code seq}. */
    synchronized void acknowledgeThrough(long seq) {
        if (seq > acknowledged) {
            acknowledged = Math.min(seq, enqueued);
            advance();
        }
    }

    /** Whether every event enqueued so far is acknowledged (commits may still be pending). */
    synchronized boolean allAcknowledged() {
        return acknowledged == enqueued;
    }

    /** The highest position that may be reported as flushed. */
    synchronized long flushLsn() {
        if (holds.isEmpty()) {
            return flushLsn;
        }
        long limit = flushLsn;
        for (long hold : holds.values()) {
            limit = Math.min(limit, hold);
        }
        return limit;
    }

    /** The flush position must stay at or before {@code lsn} until {@link #release(int)} for {@code xid}. */
    synchronized void hold(int xid, long lsn) {
        holds.put(xid, lsn);
    }

    /** Ends the hold for {@code xid}. */
    synchronized void release(int xid) {
        holds.remove(xid);
    }

    /**
     * Whether every enqueued event is acknowledged and every commit flushed: then nothing the
     * application still owes is in flight, and an idle slot may advance to the server's WAL end.
     */
    synchronized boolean isSettled() {
        return acknowledged == enqueued && pendingCommits.isEmpty();
    }

    /** Moves the flush position forward to an idle server's WAL end; never backward. */
    synchronized void advanceIdle(long serverWalEnd) {
        if (isSettled() && serverWalEnd > flushLsn) {
            flushLsn = serverWalEnd;
        }
    }

    private void advance() {
        while (!pendingCommits.isEmpty() && pendingCommits.peekFirst()[0] <= acknowledged) {
            flushLsn = Math.max(flushLsn, pendingCommits.removeFirst()[1]);
        }
    }
}
