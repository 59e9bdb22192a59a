package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.api.Uncommitted;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.protocol.Origin;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamCommit;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Transactions the server streams while they are in progress (pgoutput's {@code streaming}): their
 * changes arrive in Stream Start … Stream Stop blocks, interleaved with other transactions, and their
 * outcome comes later as Stream Commit or Stream Abort, for the whole transaction or one subtransaction.
 *
 * <p>By default the changes are kept ({@link TransactionSpools}) and delivered on Stream Commit as one
 * ordinary transaction, without the changes of subtransactions that aborted. With early delivery they go
 * out as they arrive, marked uncommitted, and the outcome follows. This class owns the block state (the
 * decoder is told it) and which transactions went out early. Engine thread only.
 */
final class StreamedTransactions {

    private final TransactionSpools spools;
    private final TransactionFlow flow;
    private final ResendFilter resends;
    private final boolean early;

    private boolean inBlock;
    /** The top-level transaction of the open block. */
    private int blockXid;
    /** Streamed transactions with events delivered early, and their replication origins (or ""). */
    private final Map<Integer, String> earlyStreams = new HashMap<>();
    /** Streamed transactions sent again that were delivered early before: their changes are dropped. */
    private final Set<Integer> resent = new HashSet<>();

    StreamedTransactions(TransactionSpools spools, TransactionFlow flow, ResendFilter resends, boolean early) {
        this.spools = spools;
        this.flow = flow;
        this.resends = resends;
        this.early = early;
    }

    /** Whether a Stream Start … Stream Stop block is open: its messages carry an xid. */
    boolean inBlock() {
        return inBlock;
    }

    void start(StreamStart m, long lsn) {
        if (flow.inTransaction()) {
            throw new PgOutputException("Stream Start at LSN " + Lsn.format(lsn) + " inside another transaction");
        }
        int xid = m.xid();
        if (early) {
            if (resends.wasDeliveredEarly(xid)) {
                resent.add(xid);
            } else {
                earlyStreams.putIfAbsent(xid, "");
            }
        } else if (m.firstSegment()) {
            spools.start(xid);
        } else if (!spools.contains(xid)) {
            throw new PgOutputException("streamed block of transaction " + Integer.toUnsignedString(xid)
                    + " at LSN " + Lsn.format(lsn) + " continues a transaction whose first block this reader "
                    + "did not receive");
        }
        inBlock = true;
        blockXid = xid;
    }

    /**
     * Takes one message inside the open block; false when it is to be handled as usual (a
     * non-transactional message, which stands outside every transaction).
     */
    boolean onBlockMessage(PgOutputMessage message, long lsn, ByteBuffer payload) {
        if (message instanceof StreamStop) {
            inBlock = false;
            return true;
        }
        if (message instanceof Origin m) {
            if (early) {
                if (!resent.contains(blockXid)) {
                    // A resend is dropped whole; an entry here would outlive it.
                    earlyStreams.put(blockXid, m.name());
                }
            } else {
                spools.origin(blockXid, m.name());
            }
            return true;
        }
        if (message instanceof LogicalMessage m && !m.transactional()) {
            return false;
        }
        int subXid = KeptMessage.changeXid(message, lsn, "a streamed block", blockXid);
        boolean schema = KeptMessage.isSchema(message);
        if (!early) {
            spools.add(blockXid, new KeptMessage(message, lsn, subXid, true, payload));
        } else if (schema) {
            flow.applySchema(message);
        } else if (!resent.contains(blockXid)) {
            String origin = earlyStreams.get(blockXid);
            long txId = Integer.toUnsignedLong(blockXid);
            flow.deliverEarly(message, lsn, TransactionContext.of(blockXid, 0, 0, flow.lastCommitLsn(),
                    origin == null || origin.isEmpty() ? null : origin, null,
                    new Uncommitted(txId, Integer.toUnsignedLong(subXid), null)));
        }
        return true;
    }

    void commit(StreamCommit m) {
        if (resent.remove(m.xid())) {
            return;
        }
        if (earlyStreams.remove(m.xid()) != null) {
            flow.finishEarly(m.xid(), m.commitLsn(), m.endLsn(), null);
        } else {
            flow.deliverKept(m.xid(), m.commitLsn(), m.endLsn(), m.commitTimestamp(), null, false,
                    TransactionFlow.SchemaScope.ADOPT_UNKNOWN);
        }
    }

    void abort(StreamAbort m) {
        spools.abort(m.xid(), m.subXid());
        boolean whole = m.subXid() == m.xid();
        if (whole && resent.remove(m.xid())) {
            return;
        }
        if (whole ? earlyStreams.remove(m.xid()) != null : earlyStreams.containsKey(m.xid())) {
            flow.outcome(TransactionOutcome.Kind.ABORTED, m.xid(), m.subXid(), null, m.abortLsn());
            if (whole) {
                resends.deliveredEarly(m.xid());
            }
        }
    }

    /** A streamed transaction was prepared: whether its changes went out early (it is then no longer streaming). */
    boolean endEarly(int xid) {
        return earlyStreams.remove(xid) != null;
    }

    /** A streamed transaction was prepared: whether it is a resend of one delivered early before. */
    boolean endResent(int xid) {
        return resent.remove(xid);
    }

    /**
     * The connection was lost: the server sends every streamed transaction again from its start. Those
     * whose events went out early are added to {@code restarted}.
     */
    void connectionLost(List<Integer> restarted) {
        inBlock = false;
        restarted.addAll(earlyStreams.keySet());
        earlyStreams.clear();
        resent.clear();
    }
}
