package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcknowledgementTrackerTest {

    @Test
    void flushMovesOnlyPastWhollyAcknowledgedTransactions() {
        AcknowledgementTracker t = new AcknowledgementTracker();
        t.onEnqueued();
        t.onEnqueued();
        t.onCommit(100);
        t.onEnqueued();
        t.onCommit(200);
        assertEquals(0, t.flushLsn());
        t.acknowledgeThrough(1);
        assertEquals(0, t.flushLsn(), "half of the first transaction is not enough");
        t.acknowledgeThrough(2);
        assertEquals(100, t.flushLsn());
        t.acknowledgeThrough(3);
        assertEquals(200, t.flushLsn());
        assertTrue(t.isSettled());
    }

    @Test
    void acknowledgementBeforeTheCommitArrivesCountsWhenItArrives() {
        AcknowledgementTracker t = new AcknowledgementTracker();
        t.onEnqueued();
        t.acknowledgeThrough(1);
        assertEquals(0, t.flushLsn());
        t.onCommit(300);
        assertEquals(300, t.flushLsn());
    }

    @Test
    void transactionsWithoutEventsFlushOnceEarlierEventsAreAcknowledged() {
        AcknowledgementTracker t = new AcknowledgementTracker();
        t.onEnqueued();
        t.onCommit(100);
        t.onCommit(150); // every change filtered out
        assertEquals(0, t.flushLsn());
        t.acknowledgeThrough(1);
        assertEquals(150, t.flushLsn());
    }

    @Test
    void idleAdvanceWaitsForEverythingToBeAcknowledgedAndNeverGoesBack() {
        AcknowledgementTracker t = new AcknowledgementTracker();
        t.onEnqueued();
        t.onCommit(100);
        t.advanceIdle(500);
        assertEquals(0, t.flushLsn());
        assertFalse(t.isSettled());
        t.acknowledgeThrough(1);
        t.advanceIdle(500);
        assertEquals(500, t.flushLsn());
        t.advanceIdle(400);
        assertEquals(500, t.flushLsn());
    }

    @Test
    void acknowledgingMoreThanWasEnqueuedIsClamped() {
        AcknowledgementTracker t = new AcknowledgementTracker();
        t.onEnqueued();
        t.acknowledgeThrough(5);
        t.onEnqueued();
        t.onCommit(100);
        assertEquals(0, t.flushLsn(), "the second event was never acknowledged");
    }

    @Test
    void anUnresolvedPrepareHoldsTheFlushBackUntilReleased() {
        AcknowledgementTracker t = new AcknowledgementTracker();
        t.onCommit(100);
        assertEquals(100, t.flushLsn());
        t.hold(7, 150);
        t.onCommit(200);
        t.advanceIdle(300);
        assertEquals(150, t.flushLsn(), "not past the PREPARE while its outcome is pending");
        t.hold(8, 250);
        t.release(7);
        assertEquals(250, t.flushLsn());
        t.release(8);
        assertEquals(300, t.flushLsn());
    }

    @Test
    void anOutcomeWhoseListenerThrewIsCountedButNotAcknowledged() {
        AcknowledgementTracker t = new AcknowledgementTracker(true);
        t.onEnqueued();          // 1: event
        t.onEnqueued();          // 2: outcome
        t.onCommit(100);
        t.onEnqueued();          // 3: event of the next transaction
        t.onCommit(200);
        t.deliveredEvent(10);
        t.deliveredOutcome(20, false);
        assertEquals(0, t.flushLsn(), "the outcome was not handled: the transaction stays unconfirmed");
        t.deliveredEvent(30);
        t.acknowledgeDelivered();
        assertEquals(200, t.flushLsn(), "the numbering still names the right items: all three are acknowledged");
    }

    @Test
    void manualAcknowledgementByLsnCoversTheItemsUpToIt() {
        AcknowledgementTracker t = new AcknowledgementTracker(false);
        t.onEnqueued();
        t.onCommit(100);
        t.onEnqueued();
        t.onCommit(200);
        t.deliveredEvent(50);
        t.deliveredOutcome(150, true);
        assertEquals(0, t.flushLsn(), "manual: nothing is acknowledged by delivery");
        t.acknowledge(60);
        assertEquals(100, t.flushLsn());
        t.acknowledge(150);
        assertEquals(200, t.flushLsn());
    }
}
