package dev.pgoutput.internal.engine;

import static dev.pgoutput.internal.engine.AssemblerHarness.insert;
import static dev.pgoutput.internal.engine.AssemblerHarness.relation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streamed transactions kept until their outcome, without a server: delivered on Stream Commit in commit
 * order, without aborted subtransactions, nothing on Stream Abort, and once across a lost connection.
 * Each case runs in memory and through spill files (budget 0).
 */
class StreamedTransactionsTest {

    @TempDir
    Path dir;

    private AssemblerHarness harness(long budget) {
        return new AssemblerHarness(dir, budget, EventAssembler.Delivery.ON_COMMIT);
    }

    @ParameterizedTest(name = "memory budget {0}")
    @ValueSource(longs = {0, 1L << 30})
    void aStreamedTransactionIsDeliveredAtItsCommitInCommitOrder(long budget) throws Exception {
        AssemblerHarness h = harness(budget).relation("v");
        h.block(700, true, 700, 1000, "big-1", "big-2");
        assertEquals(false, h.assembler.inStreamBlock(), "Stream Stop closes the block");
        h.transaction(701, 2000, "small");
        h.block(700, false, 700, 1100, "big-3");
        assertEquals(List.of("c v=small", "commit 2008"), h.drain(), "nothing of the open streamed transaction yet");
        h.streamCommit(700, 3000);
        assertEquals(List.of("c v=big-1", "c v=big-2", "c v=big-3", "commit 3008"), h.drain());
        assertEquals(3000, h.events.get(3).source().commitLsn());
        assertEquals(700, h.events.get(3).source().txId());
        assertEquals(0, spillFiles(), "no spill file is left");
        assertEquals(0, h.spools.memoryUsed());
    }

    @ParameterizedTest(name = "memory budget {0}")
    @ValueSource(longs = {0, 1L << 30})
    void savepointRollbacksLeaveOutTheirChangesAndAnAbortLeavesNothing(long budget) throws Exception {
        AssemblerHarness h = harness(budget).relation("v");
        h.block(800, true, 800, 1000, "kept-1");
        h.block(800, false, 801, 1010, "rolled-back");
        h.block(800, false, 802, 1020, "released");
        h.block(800, false, 803, 1030, "nested-rolled-back");
        h.streamAbort(800, 801).streamAbort(800, 803);
        h.block(800, false, 800, 1040, "kept-2");
        h.block(900, true, 900, 1050, "aborted-whole");
        h.streamAbort(900, 900);
        h.streamCommit(800, 2000);
        assertEquals(List.of("c v=kept-1", "c v=released", "c v=kept-2", "commit 2008"), h.drain());
        assertEquals(0, spillFiles());
    }

    @ParameterizedTest(name = "memory budget {0}")
    @ValueSource(longs = {0, 1L << 30})
    void aConnectionLostMidStreamDeliversTheResentTransactionOnce(long budget) throws Exception {
        AssemblerHarness h = harness(budget).relation("v");
        h.block(700, true, 700, 1000, "a", "b");
        h.send(new StreamStart(700, false), 0).send(insert(700, "c"), 1002);
        h.reconnect();
        assertEquals(List.of(), h.drain(), "nothing was delivered and no outcome is owed");
        assertEquals(0, spillFiles(), "what was kept is dropped: the server sends it again");
        // The server describes the table again in the new session and starts the transaction over.
        h.relation("v");
        h.block(700, true, 700, 1000, "a", "b", "c");
        h.streamCommit(700, 3000);
        assertEquals(List.of("c v=a", "c v=b", "c v=c", "commit 3008"), h.drain());
    }

    @Test
    void aBlockThatContinuesAnUnknownTransactionIsAnError() {
        AssemblerHarness h = harness(1L << 30).relation("v");
        PgOutputException e = assertThrows(PgOutputException.class, () -> h.send(new StreamStart(5, false), 77));
        assertTrue(e.getMessage().contains("did not receive"), e.getMessage());
    }

    @Test
    void aStreamStartInsideATransactionIsAnError() {
        AssemblerHarness h = harness(1L << 30).relation("v");
        h.send(new Begin(5000, 0, 1), 4900);
        PgOutputException e = assertThrows(PgOutputException.class, () -> h.send(new StreamStart(5, true), 77));
        assertTrue(e.getMessage().contains("inside another transaction"), e.getMessage());
    }

    @Test
    void theTransactionsOwnRelationDescribesItsChangesAndIsKeptWhenNothingElseDescribesTheTable() {
        AssemblerHarness h = harness(1L << 30);
        // The table is first described inside the streamed transaction (as after a reconnect).
        h.send(new StreamStart(700, true), 0).send(relation(700, "streamed_col"), 0)
                .send(insert(700, "x"), 1000).send(new StreamStop(), 0);
        h.streamCommit(700, 2000);
        assertEquals(List.of("c streamed_col=x", "commit 2008"), h.drain());
        // The server counts the Relation as sent once the transaction committed: a later transaction's
        // change comes without one, and must still be understood.
        h.send(new Begin(3000, 0, 701), 2900).send(insert(0, "y"), 2910).send(new Commit(0, 3000, 3008, 0), 3008);
        assertEquals(List.of("c streamed_col=y", "commit 3008"), h.drain());
    }

    @Test
    void aStreamedRelationDoesNotReplaceTheDescriptionLaterTransactionsUse() {
        AssemblerHarness h = harness(1L << 30).relation("current");
        h.send(new StreamStart(700, true), 0).send(relation(700, "old"), 0).send(insert(700, "x"), 1000)
                .send(new StreamStop(), 0);
        h.streamCommit(700, 2000);
        h.transaction(701, 3000, "y");
        assertEquals(List.of("c old=x", "commit 2008", "c current=y", "commit 3008"), h.drain());
    }

    private long spillFiles() throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".spill")).count();
        }
    }
}
