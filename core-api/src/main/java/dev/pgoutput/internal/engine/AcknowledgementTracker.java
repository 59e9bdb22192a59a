package dev.pgoutput.internal.engine;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The one owner of delivery positions: turns "the application has handled these events" into "the
 * server may forget WAL up to here".
 *
 * <p>Items (events, and outcomes of transactions delivered early) are numbered in queue order: the engine
 * counts what it enqueues, the consumer what it takes, and since the queue is FIFO both numbers name the
 * same item. Each commit is recorded with the number of the last item enqueued before it. The flush
 * position may move to a commit's end LSN only once every item up to that number is acknowledged, so it
 * never passes what the application has: a transaction whose events are partly acknowledged is not
 * flushed, and comes again after a restart. With manual acknowledgement the LSN of each delivered item
 * is remembered until it is acknowledged, for {@link #acknowledge(long)}.
 *
 * <p>Thread-safe: the engine thread records enqueues and commits, the consumer deliveries and
 * acknowledgements, and the transport reads {@link #flushLsn()} for its status updates.
 */
final class AcknowledgementTracker {

    private final boolean autoAcknowledge;
    private final ArrayDeque<long[]> pendingCommits = new ArrayDeque<>();
    /** Delivered items not acknowledged yet, as {number, lsn}; manual acknowledgement only. */
    private final ArrayDeque<long[]> unacknowledged = new ArrayDeque<>();
    private long enqueued;
    private long delivered;
    private long acknowledged;
    private long flushLsn;
    /**
     * Positions the flush must not pass, by transaction: the PREPARE of each prepared transaction whose
     * outcome has not been handled. A server restarted from before a PREPARE sends the prepared
     * transaction again; from after it, only its COMMIT PREPARED, without the changes.
     */
    private final Map<Integer, Long> holds = new HashMap<>();

    /** A tracker for a reader that acknowledges manually. */
    AcknowledgementTracker() {
        this(false);
    }

    /**
     * @param autoAcknowledge whether an event counts as handled once the next one is asked for (and an
     *                        outcome once its listener returned)
     */
    AcknowledgementTracker(boolean autoAcknowledge) {
        this.autoAcknowledge = autoAcknowledge;
    }

    // ---------------------------------------------------------------- engine thread

    /** The engine enqueued one more item; returns its number. */
    synchronized long onEnqueued() {
        return ++enqueued;
    }

    /** The number of the last item enqueued. */
    synchronized long enqueuedCount() {
        return enqueued;
    }

    /** The engine saw a commit ending at {@code endLsn} after all items enqueued so far. */
    synchronized void onCommit(long endLsn) {
        pendingCommits.addLast(new long[] {enqueued, endLsn});
        advance();
    }

    /** The flush position must stay at or before {@code lsn} until {@link #release(int)} for {@code xid}. */
    synchronized void hold(int xid, long lsn) {
        holds.put(xid, lsn);
    }

    /** Ends the hold for {@code xid}. */
    synchronized void release(int xid) {
        holds.remove(xid);
    }

    /** Whether every item up to number {@code seq} is acknowledged. */
    synchronized boolean acknowledgedThrough(long seq) {
        return acknowledged >= seq;
    }

    /** Whether every item enqueued so far is acknowledged (commits may still be pending). */
    synchronized boolean allAcknowledged() {
        return acknowledged == enqueued;
    }

    /**
     * Whether every enqueued item is acknowledged and every commit flushed: then nothing the
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

    // ---------------------------------------------------------------- consumer thread

    /** How many items the consumer took: the number of the last one. */
    synchronized long deliveredCount() {
        return delivered;
    }

    /** The consumer took an event at {@code lsn}. */
    synchronized void deliveredEvent(long lsn) {
        delivered++;
        if (!autoAcknowledge) {
            unacknowledged.addLast(new long[] {delivered, lsn});
        }
    }

    /**
     * The consumer passed an outcome at {@code lsn} to its listener; {@code handled} when the listener
     * returned (with automatic acknowledgement it is then acknowledged), false when it threw. Counted
     * either way, so that the numbers of the items after it stay right.
     */
    synchronized void deliveredOutcome(long lsn, boolean handled) {
        delivered++;
        if (!autoAcknowledge) {
            unacknowledged.addLast(new long[] {delivered, lsn});
        } else if (handled) {
            acknowledgeThrough(delivered);
        }
    }

    /** Automatic acknowledgement: asking for the next event means everything delivered is handled. */
    synchronized void acknowledgeDelivered() {
        if (autoAcknowledge && delivered > 0) {
            acknowledgeThrough(delivered);
        }
    }

    /** Acknowledges everything delivered so far. */
    synchronized void acknowledgeAll() {
        unacknowledged.clear();
        acknowledgeThrough(delivered);
    }

    /**
     * Acknowledges the delivered items up to and including the last one whose LSN is at most {@code lsn}.
     * With automatic acknowledgement everything before the newest event is acknowledged already, so this
     * covers all that was delivered.
     */
    synchronized void acknowledge(long lsn) {
        long through = 0;
        for (long[] e : unacknowledged) {
            if (e[1] <= lsn) {
                through = e[0];
            }
        }
        if (autoAcknowledge) {
            through = delivered;
        }
        if (through > 0) {
            final long seq = through;
            unacknowledged.removeIf(e -> e[0] <= seq);
            acknowledgeThrough(seq);
        }
    }

    /** The application handled every item up to number {@code seq}. */
    synchronized void acknowledgeThrough(long seq) {
        if (seq > acknowledged) {
            acknowledged = Math.min(seq, enqueued);
            advance();
        }
    }

    // ---------------------------------------------------------------- any thread

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

    private void advance() {
        while (!pendingCommits.isEmpty() && pendingCommits.peekFirst()[0] <= acknowledged) {
            flushLsn = Math.max(flushLsn, pendingCommits.removeFirst()[1]);
        }
    }
}
