package dev.pgoutput.internal.engine;

import static dev.pgoutput.internal.engine.AssemblerHarness.insert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pgoutput.protocol.Origin;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early delivery without a server: streamed changes as they arrive and prepared transactions at their
 * PREPARE, marked uncommitted, with their outcome after them; across a lost connection.
 */
class EarlyDeliveryTest {

    @TempDir
    Path dir;

    private AssemblerHarness streamsEarly() {
        return new AssemblerHarness(dir, 1L << 30, new EventAssembler.Delivery(true, false));
    }

    private AssemblerHarness onPrepare() {
        return new AssemblerHarness(dir, 1L << 30, new EventAssembler.Delivery(false, true));
    }

    @Test
    void streamedChangesGoOutAsTheyArriveWithTheirSubtransactionAndTheOutcomeFollows() {
        AssemblerHarness h = streamsEarly().relation("v");
        h.send(new StreamStart(700, true), 0).send(new Origin(0, "other"), 0).send(insert(700, "a"), 1000)
                .send(insert(701, "b"), 1001).send(new StreamStop(), 0);
        assertEquals(List.of("c v=a ~700/700", "c v=b ~700/701"), h.drain());
        assertEquals("other", h.events.get(0).source().origin());
        assertEquals(0, h.events.get(0).source().commitLsn(), "no commit LSN before the commit");
        h.streamAbort(700, 701);
        h.streamCommit(700, 2000);
        assertEquals(List.of("ABORTED 700/701", "COMMITTED 700/700", "commit 2008"), h.drain());
        h.block(900, true, 900, 3000, "c").streamAbort(900, 900);
        assertEquals(List.of("c v=c ~900/900", "ABORTED 900/900"), h.drain());
    }

    @Test
    void aConnectionLostMidStreamRestartsTheTransactionAndAResentOneIsDroppedOnce() {
        AssemblerHarness h = streamsEarly().relation("v");
        h.block(700, true, 700, 1000, "a");
        h.reconnect();
        assertEquals(List.of("c v=a ~700/700", "RESTARTED 700/700"), h.drain());
        h.relation("v").block(700, true, 700, 1000, "a", "b").streamCommit(700, 2000);
        assertEquals(List.of("c v=a ~700/700", "c v=b ~700/700", "COMMITTED 700/700", "commit 2008"), h.drain());
        // Committed and passed on, yet sent again after a reconnect (the slot had not moved yet).
        h.reconnect();
        h.relation("v").block(700, true, 700, 1000, "a", "b").streamCommit(700, 2000);
        assertEquals(List.of(), h.drain(), "a transaction whose outcome was passed on is not delivered twice");
    }

    @Test
    void aPreparedTransactionGoesOutAtItsPrepareAndItsOutcomeFollows() {
        AssemblerHarness h = onPrepare().relation("v");
        h.prepared(500, 1000, "g1", "p-1");
        assertEquals(List.of("c v=p-1 ~500/500 @g1", "commit 1008"), h.drain(), "nothing held back");
        assertEquals(1000, h.events.get(0).source().commitLsn());
        h.commitPrepared(500, 3000, "g1");
        assertEquals(List.of("COMMITTED 500/500 @g1", "commit 3008", "release 500"), h.drain());
        h.prepared(501, 4000, "g2", "p-2").rollbackPrepared(501, 4008, 5000, "g2");
        assertEquals(List.of("c v=p-2 ~501/501 @g2", "commit 4008", "release 501", "ABORTED 501/501 @g2",
                "commit 5000"), h.drain());
    }

    @Test
    void aPreparedTransactionSentAgainAfterAReconnectIsNotDeliveredTwice() {
        AssemblerHarness h = onPrepare().relation("v");
        h.prepared(500, 1000, "g1", "p-1");
        h.reconnect();
        h.relation("v").prepared(500, 1000, "g1", "p-1").commitPrepared(500, 3000, "g1");
        assertEquals(List.of("c v=p-1 ~500/500 @g1", "commit 1008", "COMMITTED 500/500 @g1", "commit 3008",
                "release 500"), h.drain());
    }

    @Test
    void aStreamedTransactionThenPreparedGetsItsOutcomeAtCommitPreparedWithTheSlotHeld() {
        AssemblerHarness h = new AssemblerHarness(dir, 1L << 30, new EventAssembler.Delivery(true, false)).relation("v");
        h.block(700, true, 700, 1000, "a").streamPrepare(700, 2000, "g7");
        assertEquals(List.of("c v=a ~700/700", "hold 700 2000"), h.drain());
        assertNull(h.events.get(0).source().gid(), "the gid is not known while it streams");
        h.commitPrepared(700, 3000, "g7");
        assertEquals(List.of("COMMITTED 700/700 @g7", "commit 3008", "release 700"), h.drain());
    }

    @Test
    void aConnectionLostWhileAStreamedPreparedTransactionWaitsRestartsIt() {
        AssemblerHarness h = new AssemblerHarness(dir, 1L << 30, new EventAssembler.Delivery(true, false)).relation("v");
        h.block(700, true, 700, 1000, "a").streamPrepare(700, 2000, "g7");
        h.reconnect();
        assertEquals(List.of("c v=a ~700/700", "hold 700 2000", "RESTARTED 700/700"), h.drain());
    }

    @Test
    void anOriginInAResentStreamLeavesNoRestartBehind() {
        AssemblerHarness h = streamsEarly().relation("v");
        h.send(new StreamStart(700, true), 0).send(new Origin(0, "other"), 0).send(insert(700, "a"), 1000)
                .send(new StreamStop(), 0).streamCommit(700, 2000);
        h.reconnect();
        h.relation("v");
        h.send(new StreamStart(700, true), 0).send(new Origin(0, "other"), 0).send(insert(700, "a"), 1000)
                .send(new StreamStop(), 0).streamCommit(700, 2000);
        h.reconnect();
        assertEquals(List.of("c v=a ~700/700", "COMMITTED 700/700", "commit 2008"), h.drain(),
                "the resend is dropped, and no RESTARTED follows for a transaction already committed");
    }
}
