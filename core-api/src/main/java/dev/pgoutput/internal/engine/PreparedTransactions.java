package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.protocol.BeginPrepare;
import dev.pgoutput.protocol.CommitPrepared;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.protocol.Origin;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Prepare;
import dev.pgoutput.protocol.RollbackPrepared;
import dev.pgoutput.protocol.StreamPrepare;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepared transactions (pgoutput's {@code two_phase}): sent at their PREPARE TRANSACTION (Begin Prepare
 * … Prepare, or Stream Prepare for a streamed one), their outcome later as Commit Prepared or Rollback
 * Prepared, possibly in a later session.
 *
 * <p>By default a prepared transaction is kept ({@link TransactionSpools}) and delivered at COMMIT
 * PREPARED, nothing at ROLLBACK PREPARED; until then the flush position is held at its PREPARE
 * ({@link EventSink#hold}), because a reader restarted after a confirmed PREPARE would receive
 * only the COMMIT PREPARED, without the changes. With {@code deliverOnPrepare} it is delivered at once
 * like an ordinary transaction that ends at its PREPARE, and its outcome follows. Engine thread only.
 */
final class PreparedTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(PreparedTransactions.class);

    private final TransactionSpools spools;
    private final TransactionFlow flow;
    private final ResendFilter resends;
    private final StreamedTransactions streams;
    private final EventSink sink;
    private final boolean onPrepare;

    /** Between Begin Prepare and Prepare of a kept transaction. */
    private boolean keeping;
    private int keepingXid;
    /** Streamed transactions delivered early and then prepared, held until COMMIT/ROLLBACK PREPARED. */
    private final Set<Integer> earlyPrepared = new HashSet<>();

    PreparedTransactions(TransactionSpools spools, TransactionFlow flow, ResendFilter resends,
                         StreamedTransactions streams, EventSink sink, boolean onPrepare) {
        this.spools = spools;
        this.flow = flow;
        this.resends = resends;
        this.streams = streams;
        this.sink = sink;
        this.onPrepare = onPrepare;
    }

    /** Whether the messages arriving belong to a prepared transaction being kept. */
    boolean keeping() {
        return keeping;
    }

    /**
     * Takes one message between Begin Prepare and Prepare; false when it is to be handled as usual (the
     * Prepare itself, a non-transactional message).
     */
    boolean keep(PgOutputMessage message, long lsn, ByteBuffer payload) {
        if (message instanceof Prepare) {
            return false;
        }
        if (message instanceof Origin m) {
            spools.origin(keepingXid, m.name());
            return true;
        }
        if (message instanceof LogicalMessage m && !m.transactional()) {
            return false;
        }
        KeptMessage.changeXid(message, lsn, "a prepared transaction", keepingXid);   // only a change may come here
        if (KeptMessage.isSchema(message)) {
            // The server counts the schema as sent for every later transaction too.
            flow.applySchema(message);
        }
        spools.add(keepingXid, new KeptMessage(message, lsn, keepingXid, false, payload));
        return true;
    }

    void beginPrepare(BeginPrepare m, long lsn) {
        if (flow.inTransaction() || keeping) {
            throw new PgOutputException("Begin Prepare at LSN " + Lsn.format(lsn) + " inside another transaction");
        }
        if (onPrepare) {
            flow.beginPrepared(m.xid(), m.prepareLsn(), m.prepareTimestamp(), m.gid());
            return;
        }
        spools.start(m.xid());
        keeping = true;
        keepingXid = m.xid();
    }

    void prepare(Prepare m) {
        if (onPrepare) {
            if (!resends.isResend()) {
                resends.deliveredEarly(m.xid());
            }
            flow.commit(m.prepareLsn(), m.endLsn());
            return;
        }
        keeping = false;
        hold(m.xid(), m.prepareLsn());
    }

    void streamPrepare(StreamPrepare m) {
        int xid = m.xid();
        if (streams.endResent(xid)) {
            return;
        }
        if (streams.endEarly(xid)) {
            // Its changes went out as they came; what remains is where the slot may go.
            if (onPrepare) {
                resends.deliveredEarly(xid);
                resends.completedAt(m.prepareLsn());
                sink.commit(m.endLsn());
            } else {
                earlyPrepared.add(xid);
                sink.hold(xid, m.prepareLsn());
            }
            return;
        }
        if (onPrepare) {
            if (resends.wasDeliveredEarly(xid)) {
                spools.discard(xid);   // sent again after a reconnect
                return;
            }
            flow.deliverKept(xid, m.prepareLsn(), m.endLsn(), m.prepareTimestamp(), m.gid(), true,
                    TransactionFlow.SchemaScope.DISCARD);
            resends.deliveredEarly(xid);
            return;
        }
        hold(xid, m.prepareLsn());
    }

    void commitPrepared(CommitPrepared m, long lsn) {
        if (onPrepare || earlyPrepared.remove(m.xid())) {
            flow.finishEarly(m.xid(), m.commitLsn(), m.endLsn(), m.gid());
            sink.release(m.xid());
            return;
        }
        if (!spools.contains(m.xid())) {
            // Its PREPARE was confirmed before this reader started (by another client of the slot): the
            // server does not send the changes again.
            LOG.warn("COMMIT PREPARED '{}' (transaction {}) at {} arrived without its changes: they were "
                    + "confirmed to the server before this reader started", m.gid(),
                    Integer.toUnsignedString(m.xid()), Lsn.format(lsn));
        }
        flow.deliverKept(m.xid(), m.commitLsn(), m.endLsn(), m.commitTimestamp(), m.gid(), false,
                TransactionFlow.SchemaScope.DISCARD);
        sink.release(m.xid());
    }

    void rollbackPrepared(RollbackPrepared m) {
        spools.discard(m.xid());
        sink.release(m.xid());
        boolean deliveredBefore = earlyPrepared.remove(m.xid()) || onPrepare;
        if (!resends.completeOutcome(m.rollbackEndLsn())) {
            return;   // sent again after a reconnect
        }
        if (deliveredBefore) {
            resends.deliveredEarly(m.xid());
            flow.outcome(TransactionOutcome.Kind.ABORTED, m.xid(), m.xid(), m.gid(), m.rollbackEndLsn());
        }
        // Nothing to deliver, but the slot may move past the rollback.
        sink.commit(m.rollbackEndLsn());
    }

    /** Keeps a prepared transaction until its outcome, and the slot before its PREPARE meanwhile. */
    private void hold(int xid, long prepareLsn) {
        spools.continueOrStart(xid);
        sink.hold(xid, prepareLsn);
    }

    /**
     * The connection was lost: the server sends prepared transactions again from their start (the slot
     * stays before an unresolved PREPARE). Streamed ones delivered early are added to {@code restarted}.
     */
    void connectionLost(List<Integer> restarted) {
        keeping = false;
        restarted.addAll(earlyPrepared);
        earlyPrepared.clear();
    }
}
