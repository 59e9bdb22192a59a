package dev.pgoutput.internal.engine;

import static dev.pgoutput.internal.engine.AssemblerHarness.insert;
import static dev.pgoutput.internal.engine.AssemblerHarness.relation;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.protocol.BeginPrepare;
import dev.pgoutput.protocol.Prepare;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prepared transactions kept until their outcome, without a server: delivered at COMMIT PREPARED with
 * their gid, nothing at ROLLBACK PREPARED, the flush held at the PREPARE meanwhile, and once across a
 * lost connection. Each case runs in memory and through spill files (budget 0).
 */
class PreparedTransactionsTest {

    @TempDir
    Path dir;

    private AssemblerHarness harness(long budget) {
        return new AssemblerHarness(dir, budget, EventAssembler.Delivery.ON_COMMIT);
    }

    @ParameterizedTest(name = "memory budget {0}")
    @ValueSource(longs = {0, 1L << 30})
    void commitPreparedDeliversWithTheGidAndReleasesTheHold(long budget) {
        AssemblerHarness h = harness(budget).relation("v");
        h.prepared(500, 1000, "g1", "p-1", "p-2");
        assertEquals(List.of("hold 500 1000"), h.drain(), "nothing delivered at PREPARE; the slot stays before it");
        h.transaction(501, 2000, "between");
        h.commitPrepared(500, 3000, "g1");
        assertEquals(List.of("c v=between", "commit 2008", "c v=p-1 @g1", "c v=p-2 @g1", "commit 3008", "release 500"),
                h.drain());
        assertEquals(3000, h.events.get(2).source().commitLsn());
    }

    @ParameterizedTest(name = "memory budget {0}")
    @ValueSource(longs = {0, 1L << 30})
    void rollbackPreparedDeliversNothingButLetsTheSlotMove(long budget) {
        AssemblerHarness h = harness(budget).relation("v");
        h.prepared(500, 1000, "g1", "p-1");
        h.rollbackPrepared(500, 1008, 2000, "g1");
        assertEquals(List.of("hold 500 1000", "release 500", "commit 2000"), h.drain());
        h.rollbackPrepared(500, 1008, 2000, "g1");
        assertEquals(List.of("release 500"), h.drain(), "a resent rollback is not a second commit");
    }

    @ParameterizedTest(name = "memory budget {0}")
    @ValueSource(longs = {0, 1L << 30})
    void aConnectionLostBeforeOrAfterThePrepareDeliversOnce(long budget) {
        AssemblerHarness h = harness(budget).relation("v");
        // Lost between Begin Prepare and Prepare.
        h.send(new BeginPrepare(1000, 1008, 0, 500, "g1"), 900).send(insert(0, "p-1"), 910);
        h.reconnect();
        h.relation("v").prepared(500, 1000, "g1", "p-1", "p-2");
        // Lost after the PREPARE: the slot was held before it, so the server sends it whole again.
        h.reconnect();
        h.relation("v").prepared(500, 1000, "g1", "p-1", "p-2");
        h.commitPrepared(500, 3000, "g1");
        assertEquals(List.of("hold 500 1000", "hold 500 1000", "c v=p-1 @g1", "c v=p-2 @g1", "commit 3008",
                "release 500"), h.drain());
    }

    @ParameterizedTest(name = "memory budget {0}")
    @ValueSource(longs = {0, 1L << 30})
    void aPreparedTransactionsRelationDescribesItsChangesOnlyAndStaysForLaterTransactions(long budget) {
        AssemblerHarness h = harness(budget).relation("before");
        h.send(new BeginPrepare(1000, 1008, 0, 500, "g1"), 900).send(relation(0, "prepared"), 0)
                .send(insert(0, "p"), 910).send(new Prepare(0, 1000, 1008, 0, 500, "g1"), 1008);
        // The server counts that Relation as sent: a transaction committed meanwhile uses it.
        h.transaction(501, 2000, "x");
        // Then the table changes again for later transactions.
        h.relation("after");
        h.commitPrepared(500, 3000, "g1");
        h.transaction(502, 4000, "y");
        assertEquals(List.of("hold 500 1000", "c prepared=x", "commit 2008", "c prepared=p @g1", "commit 3008",
                "release 500", "c after=y", "commit 4008"), h.drain());
    }
}
