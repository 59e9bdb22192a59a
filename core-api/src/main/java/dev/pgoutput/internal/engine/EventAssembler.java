package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Message;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.Source;
import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.api.Truncation;
import dev.pgoutput.api.Uncommitted;
import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.BeginPrepare;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.CommitPrepared;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.protocol.Origin;
import dev.pgoutput.protocol.PgEpoch;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Prepare;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.RollbackPrepared;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamCommit;
import dev.pgoutput.protocol.StreamPrepare;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.protocol.Update;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives protocol messages their meaning: keeps the relation cache and the open transaction, and turns
 * each change of an included table into a {@link ChangeEvent}. Runs on the engine thread only.
 *
 * <p>Transactions whose outcome is not known when their changes arrive are kept in
 * {@link TransactionSpools} and delivered like any other transaction once it is: a transaction the server
 * streams while in progress (Stream Start … Stream Stop blocks) on its Stream Commit, without the
 * changes of subtransactions that aborted, and nothing of it on a Stream Abort; a prepared transaction
 * (two-phase) on its Commit Prepared, nothing on a Rollback Prepared. Both come in commit order with
 * the ordinary transactions, because the server sends each commit in WAL order.
 *
 * <p>On request ({@link Delivery}) they are delivered early instead, marked {@link Uncommitted}: a
 * streamed transaction's changes as they arrive, a prepared transaction at its PREPARE. Their outcome
 * then follows through {@link Sink#outcome}, in order with the events.
 */
final class EventAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(EventAssembler.class);

    /** Decodes a kept message again when its transaction is delivered (with the reader's current decoder). */
    interface Decoding {
        PgOutputMessage decode(ByteBuffer message, long lsn);
    }

    /** Where finished events and commits go. */
    interface Sink {
        /** One change event, in delivery order. */
        void event(ChangeEvent event);

        /** A transaction ended at {@code endLsn}; every event of it was passed to {@link #event} before. */
        void commit(long endLsn);

        /**
         * A prepared transaction waits for its outcome: the flush position must not pass {@code lsn}
         * (its PREPARE) until {@link #release}, so that a new reader receives it again.
         */
        default void hold(int xid, long lsn) {
        }

        /** The prepared transaction's outcome was handled. */
        default void release(int xid) {
        }

        /** A kept message of this size is being delivered (the events it gives are charged with it). */
        default void replaying(int messageBytes) {
        }

        /** The outcome of a transaction whose events were delivered before it, in delivery order. */
        default void outcome(TransactionOutcome outcome) {
        }
    }

    /** How transactions whose outcome is not known yet are delivered. */
    record Delivery(boolean uncommittedStreams, boolean onPrepare) {
        static final Delivery ON_COMMIT = new Delivery(false, false);
    }

    /** Not keeping messages: an ordinary transaction, or between transactions. */
    private static final byte KEEP_NONE = 0;
    /** Inside a Stream Start … Stream Stop block: messages carry an xid and go to their transaction's spool. */
    private static final byte KEEP_STREAM_BLOCK = 1;
    /** Between Begin Prepare and Prepare: messages go to the prepared transaction's spool. */
    private static final byte KEEP_PREPARE = 2;

    private final RelationCache relations;
    private final SourceFactory sources;
    private final Sink sink;
    /** Operations the application asked not to receive (Debezium's {@code skipped.operations}). */
    private final java.util.Set<Op> skipped;
    private final TransactionSpools spools;
    private final Decoding decoding;
    private final Delivery delivery;
    /** Streamed transactions with events delivered early, and their replication origins (or ""). */
    private final Map<Integer, String> earlyStreams = new HashMap<>();
    /**
     * Transactions delivered early whose final outcome was passed on (or, for prepared ones, that were
     * delivered at PREPARE). After a reconnect the server may send one of them again, when the slot had
     * not moved past it yet; it is recognised by its xid and not delivered twice. The most recent ones
     * are enough: the server resends only what is after the slot's confirmed position.
     */
    private final Map<Integer, Boolean> deliveredEarly = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > 65_536;
        }
    };
    /** Streamed transactions delivered early and then prepared, held until COMMIT/ROLLBACK PREPARED. */
    private final java.util.Set<Integer> earlyPrepared = new java.util.HashSet<>();
    /** Streamed transactions being sent again that were delivered early before: their changes are dropped. */
    private final java.util.Set<Integer> resentStreams = new java.util.HashSet<>();
    /** RESTARTED outcomes of the lost connection, passed on once the reader is connected again. */
    private final java.util.List<Integer> restartsToReport = new java.util.ArrayList<>();
    /** Set while the events being made are delivered before their transaction's outcome. */
    private Uncommitted pending;

    private byte keeping = KEEP_NONE;
    private int keepingXid;
    /** The gid of the prepared transaction being delivered, or null. */
    private String gid;

    private boolean inTransaction;
    private long txId;
    private long finalLsn;
    private long commitTimeMs;
    private long lastCommitLsn;
    /** The replication origin of the open transaction (its Origin message), or null. */
    private String origin;

    // Reconnect bookkeeping. After a reconnect the server sends again every transaction from the slot's
    // confirmed position, including ones this reader already passed on; those are recognised by their
    // commit LSN (unique per transaction) and dropped, so one reader never delivers a transaction twice.
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
    private boolean replayed;
    /**
     * LSN of the last non-transactional message passed on. The slot's position moves only with
     * transactions, so after a reconnect the server may send such a message again; it is recognised by
     * its LSN (WAL order) and dropped.
     */
    private long lastNonTransactionalLsn;

    EventAssembler(RelationCache relations, SourceFactory sources, Sink sink) {
        this(relations, sources, sink, java.util.Set.of(), null, null, Delivery.ON_COMMIT);
    }

    /**
     * @param spools   where to keep streamed and prepared transactions until their outcome; null when
     *                 neither was requested
     * @param decoding decodes kept messages on delivery
     */
    EventAssembler(RelationCache relations, SourceFactory sources, Sink sink, java.util.Set<Op> skipped,
                   TransactionSpools spools, Decoding decoding, Delivery delivery) {
        this.delivery = delivery;
        this.relations = relations;
        this.sources = sources;
        this.sink = sink;
        this.skipped = skipped.isEmpty() ? java.util.EnumSet.noneOf(Op.class) : java.util.EnumSet.copyOf(skipped);
        this.spools = spools;
        this.decoding = decoding;
    }

    /** Whether a transaction is open (Begin seen, Commit not yet). */
    boolean inTransaction() {
        return inTransaction;
    }

    /**
     * Handles one message.
     *
     * @param message the decoded message
     * @param lsn     the XLogData start LSN it came with
     */
    void handle(PgOutputMessage message, long lsn) {
        handle(message, lsn, null);
    }

    /**
     * Handles one message.
     *
     * @param message the decoded message
     * @param lsn     the XLogData start LSN it came with
     * @param payload its bytes (position to limit), kept when its transaction's outcome is not known yet
     */
    void handle(PgOutputMessage message, long lsn, ByteBuffer payload) {
        if (keeping != KEEP_NONE && keep(message, lsn, payload)) {
            return;
        }
        dispatch(message, lsn);
    }

    private void dispatch(PgOutputMessage message, long lsn) {
        // The hot messages first; the rest are rare.
        if (message instanceof Insert m) {
            RelationInfo r = relations.get(m.relationId(), lsn);
            if (r.included()) {
                emit(Op.CREATE, r, null, row(r, m.newTuple(), null), lsn);
            }
        } else if (message instanceof Update m) {
            RelationInfo r = relations.get(m.relationId(), lsn);
            if (r.included()) {
                Row before = m.oldTuple() == null ? null : row(r, m.oldTuple(), m.oldKind());
                // Under FULL the new tuple may still say "unchanged TOAST"; the old row has the value.
                Row after = r.rows().row(m.newTuple(), m.oldKind() == 'O' ? m.oldTuple() : null, false);
                emit(Op.UPDATE, r, before, after, lsn);
            }
        } else if (message instanceof Delete m) {
            RelationInfo r = relations.get(m.relationId(), lsn);
            if (r.included()) {
                emit(Op.DELETE, r, row(r, m.oldTuple(), m.oldKind()), null, lsn);
            }
        } else if (message instanceof Begin m) {
            begin(m.xid(), m.finalLsn(), m.commitTimestamp(), null, null);
        } else if (message instanceof Commit m) {
            commit(m.commitLsn(), m.endLsn());
        } else {
            handleRare(message, lsn);
        }
    }

    private void begin(int xid, long transactionFinalLsn, long commitTimestamp, String transactionOrigin,
                       String transactionGid) {
        inTransaction = true;
        txId = Integer.toUnsignedLong(xid);
        finalLsn = transactionFinalLsn;
        commitTimeMs = PgEpoch.toUnixMillis(commitTimestamp);
        origin = transactionOrigin;
        gid = transactionGid;
        emittedInTransaction = 0;
        replayed = finalLsn <= lastCompletedFinalLsn;
        toSkip = !replayed && finalLsn == interruptedFinalLsn ? interruptedEmitted : 0;
    }

    private void commit(long commitLsn, long endLsn) {
        inTransaction = false;
        gid = null;
        if (replayed) {
            replayed = false;
            return;
        }
        if (finalLsn == interruptedFinalLsn) {
            interruptedFinalLsn = 0;
        }
        // A PREPARE delivered at once (deliverOnPrepare) may come after transactions with later LSNs.
        lastCompletedFinalLsn = Math.max(lastCompletedFinalLsn, finalLsn);
        lastCommitLsn = commitLsn;
        sink.commit(endLsn);
    }

    /**
     * Keeps a message of a transaction whose outcome is not known yet; false when the message is to be
     * handled as usual (it ends the keeping, or stands outside the transaction).
     */
    private boolean keep(PgOutputMessage message, long lsn, ByteBuffer payload) {
        if (message instanceof StreamStop) {
            keeping = KEEP_NONE;
            return true;
        }
        if (message instanceof Prepare && keeping == KEEP_PREPARE) {
            return false;
        }
        if (message instanceof Origin m) {
            if (delivery.uncommittedStreams() && keeping == KEEP_STREAM_BLOCK) {
                earlyStreams.put(keepingXid, m.name());
            } else {
                spools.origin(keepingXid, m.name());
            }
            return true;
        }
        if (message instanceof LogicalMessage m && !m.transactional()) {
            return false;
        }
        boolean schema = message instanceof Relation || message instanceof Type;
        if (!schema && !(message instanceof Insert) && !(message instanceof Update) && !(message instanceof Delete)
                && !(message instanceof Truncate) && !(message instanceof LogicalMessage)) {
            throw new PgOutputException("unexpected pgoutput message '" + message.typeCode() + "' at LSN "
                    + Lsn.format(lsn) + " inside " + (keeping == KEEP_STREAM_BLOCK ? "a streamed block" : "a prepared transaction")
                    + " of transaction " + Integer.toUnsignedString(keepingXid));
        }
        if (keeping == KEEP_STREAM_BLOCK && delivery.uncommittedStreams()) {
            if (resentStreams.contains(keepingXid) && !schema) {
                return true;
            }
            deliverEarly(message, lsn, payload.getInt(payload.position() + 1));
        } else if (keeping == KEEP_STREAM_BLOCK) {
            // The changes carry the (sub)transaction that made them, right after the type byte.
            int subXid = payload.getInt(payload.position() + 1);
            spools.add(keepingXid, subXid, schema, lsn, payload, 1);
        } else {
            if (schema) {
                // The server counts the schema as sent for every later transaction too.
                handleRare(message, lsn);
            }
            spools.add(keepingXid, keepingXid, schema, lsn, payload, -1);
        }
        return true;
    }

    /**
     * Delivers one change of a streamed block at once, marked uncommitted; its transaction's outcome
     * follows as a {@link TransactionOutcome}.
     */
    private void deliverEarly(PgOutputMessage message, long lsn, int subXid) {
        if (message instanceof Relation || message instanceof Type) {
            handleRare(message, lsn);
            return;
        }
        String streamOrigin = earlyStreams.get(keepingXid);
        inTransaction = true;
        txId = Integer.toUnsignedLong(keepingXid);
        finalLsn = 0;
        commitTimeMs = 0;
        origin = streamOrigin == null || streamOrigin.isEmpty() ? null : streamOrigin;
        gid = null;
        replayed = false;
        toSkip = 0;
        pending = new Uncommitted(txId, Integer.toUnsignedLong(subXid), null);
        try {
            dispatch(message, lsn);
        } finally {
            inTransaction = false;
            pending = null;
            origin = null;
        }
    }

    /**
     * Passes on the RESTARTED outcomes of the connection that was lost: called once the reader is
     * connected again (the queue may be full, and waiting for room sends status updates).
     */
    void reportRestarts() {
        for (int xid : restartsToReport) {
            outcome(TransactionOutcome.Kind.RESTARTED, xid, xid, null, 0);
        }
        restartsToReport.clear();
    }

    private void outcome(TransactionOutcome.Kind kind, int xid, int subXid, String transactionGid, long lsn) {
        sink.outcome(new TransactionOutcome(kind, Integer.toUnsignedLong(xid), Integer.toUnsignedLong(subXid),
                transactionGid, lsn));
    }

    /** Delivers a kept transaction whose commit arrived, as one ordinary transaction. */
    private void deliverKept(int xid, long commitLsn, long endLsn, long commitTimestamp, String transactionGid) {
        TransactionSpools.Replay replay = spools.take(xid);
        begin(xid, commitLsn, commitTimestamp, replay == null ? null : replay.origin(), transactionGid);
        if (replay != null) {
            // The transaction's schema messages describe its tables as they were for it; the transactions
            // after it rely on what the server sent them since. So those descriptions come back afterwards.
            Map<Integer, RelationInfo> before = new HashMap<>();
            try (replay) {
                while (replay.next()) {
                    ByteBuffer bytes = replay.payload();
                    long lsn = replay.lsn();
                    sink.replaying(bytes.remaining());
                    PgOutputMessage message = decoding.decode(bytes, lsn);
                    if (message instanceof Relation r && !before.containsKey(r.relationId())) {
                        before.put(r.relationId(), relations.current(r.relationId()));
                    }
                    handle(message, lsn, bytes);
                }
            } finally {
                before.forEach(relations::restore);
            }
        }
        commit(commitLsn, endLsn);
    }

    private TransactionSpools spools(PgOutputMessage message, long lsn, String option) {
        if (spools == null) {
            throw new PgOutputException("unexpected pgoutput message '" + message.typeCode() + "' at LSN "
                    + Lsn.format(lsn) + ": this reader did not request " + option);
        }
        return spools;
    }

    private void handleStreamingAndTwoPhase(PgOutputMessage message, long lsn) {
        if (message instanceof StreamStart m) {
            spools(m, lsn, "streaming");
            if (inTransaction || keeping != KEEP_NONE) {
                throw new PgOutputException("Stream Start at LSN " + Lsn.format(lsn) + " inside another transaction");
            }
            if (delivery.uncommittedStreams()) {
                if (deliveredEarly.containsKey(m.xid())) {
                    resentStreams.add(m.xid());
                } else {
                    earlyStreams.putIfAbsent(m.xid(), "");
                }
            } else if (m.firstSegment()) {
                spools.start(m.xid());
            } else if (!spools.contains(m.xid())) {
                throw new PgOutputException("streamed block of transaction " + Integer.toUnsignedString(m.xid())
                        + " at LSN " + Lsn.format(lsn) + " continues a transaction whose first block this reader "
                        + "did not receive");
            }
            keeping = KEEP_STREAM_BLOCK;
            keepingXid = m.xid();
        } else if (message instanceof StreamCommit m) {
            spools(m, lsn, "streaming");
            if (resentStreams.remove(m.xid())) {
                return;
            }
            if (earlyStreams.remove(m.xid()) != null) {
                finishEarly(m.xid(), m.commitLsn(), m.endLsn(), null);
            } else {
                deliverKept(m.xid(), m.commitLsn(), m.endLsn(), m.commitTimestamp(), null);
            }
        } else if (message instanceof StreamAbort m) {
            spools(m, lsn, "streaming").abort(m.xid(), m.subXid());
            if (m.subXid() == m.xid() && resentStreams.remove(m.xid())) {
                return;
            }
            if (m.subXid() == m.xid() ? earlyStreams.remove(m.xid()) != null : earlyStreams.containsKey(m.xid())) {
                outcome(TransactionOutcome.Kind.ABORTED, m.xid(), m.subXid(), null, m.abortLsn());
                if (m.subXid() == m.xid()) {
                    deliveredEarly.put(m.xid(), Boolean.TRUE);
                }
            }
        } else if (message instanceof BeginPrepare m) {
            spools(m, lsn, "twoPhase");
            if (inTransaction || keeping != KEEP_NONE) {
                throw new PgOutputException("Begin Prepare at LSN " + Lsn.format(lsn) + " inside another transaction");
            }
            if (delivery.onPrepare()) {
                // Delivered as it comes, like an ordinary transaction that ends at its PREPARE. A resend is
                // recognised by its xid: a PREPARE from before two-phase was on for the slot comes at its
                // COMMIT PREPARED, behind transactions with later LSNs.
                begin(m.xid(), m.prepareLsn(), m.prepareTimestamp(), null, m.gid());
                replayed = deliveredEarly.containsKey(m.xid());
                toSkip = !replayed && finalLsn == interruptedFinalLsn ? interruptedEmitted : 0;
                pending = new Uncommitted(txId, txId, m.gid());
                return;
            }
            spools.start(m.xid());
            keeping = KEEP_PREPARE;
            keepingXid = m.xid();
        } else if (message instanceof Prepare m) {
            spools(m, lsn, "twoPhase");
            if (delivery.onPrepare()) {
                if (!replayed) {
                    deliveredEarly.put(m.xid(), Boolean.TRUE);
                }
                commit(m.prepareLsn(), m.endLsn());
                pending = null;
                return;
            }
            keeping = KEEP_NONE;
            onPrepared(m.xid(), m.prepareLsn());
        } else if (message instanceof StreamPrepare m) {
            spools(m, lsn, "twoPhase");
            if (resentStreams.remove(m.xid())) {
                return;
            }
            if (earlyStreams.remove(m.xid()) != null) {
                // Its changes went out as they came; what remains is where the slot may go.
                if (delivery.onPrepare()) {
                    deliveredEarly.put(m.xid(), Boolean.TRUE);
                    lastCompletedFinalLsn = Math.max(lastCompletedFinalLsn, m.prepareLsn());
                    sink.commit(m.endLsn());
                } else {
                    earlyPrepared.add(m.xid());
                    sink.hold(m.xid(), m.prepareLsn());
                }
                return;
            }
            if (delivery.onPrepare()) {
                if (deliveredEarly.containsKey(m.xid())) {
                    spools.discard(m.xid());   // sent again after a reconnect
                    return;
                }
                pending = new Uncommitted(Integer.toUnsignedLong(m.xid()), Integer.toUnsignedLong(m.xid()), m.gid());
                try {
                    deliverKept(m.xid(), m.prepareLsn(), m.endLsn(), m.prepareTimestamp(), m.gid());
                } finally {
                    pending = null;
                }
                deliveredEarly.put(m.xid(), Boolean.TRUE);
                return;
            }
            onPrepared(m.xid(), m.prepareLsn());
        } else if (message instanceof CommitPrepared m) {
            spools(m, lsn, "twoPhase");
            if (delivery.onPrepare() || earlyPrepared.remove(m.xid())) {
                finishEarly(m.xid(), m.commitLsn(), m.endLsn(), m.gid());
                sink.release(m.xid());
                return;
            }
            if (!spools.contains(m.xid())) {
                // Its PREPARE was confirmed before this reader started (by another client of the slot):
                // the server does not send the changes again.
                LOG.warn("COMMIT PREPARED '{}' (transaction {}) at {} arrived without its changes: they were "
                        + "confirmed to the server before this reader started", m.gid(),
                        Integer.toUnsignedString(m.xid()), Lsn.format(lsn));
            }
            deliverKept(m.xid(), m.commitLsn(), m.endLsn(), m.commitTimestamp(), m.gid());
            sink.release(m.xid());
        } else if (message instanceof RollbackPrepared m) {
            spools(m, lsn, "twoPhase").discard(m.xid());
            sink.release(m.xid());
            boolean deliveredBefore = earlyPrepared.remove(m.xid()) || delivery.onPrepare();
            if (m.rollbackEndLsn() <= lastCompletedFinalLsn) {
                return;   // sent again after a reconnect
            }
            lastCompletedFinalLsn = Math.max(lastCompletedFinalLsn, m.rollbackEndLsn());
            if (deliveredBefore) {
                deliveredEarly.put(m.xid(), Boolean.TRUE);
                outcome(TransactionOutcome.Kind.ABORTED, m.xid(), m.xid(), m.gid(), m.rollbackEndLsn());
            }
            // Nothing to deliver, but the slot may move past the rollback.
            sink.commit(m.rollbackEndLsn());
        } else {
            throw new PgOutputException("unexpected pgoutput message '" + message.typeCode() + "' at LSN "
                    + Lsn.format(lsn) + ": this reader did not request the protocol feature that sends it");
        }
    }

    /**
     * The commit of a transaction whose events were delivered before it: no events, but its outcome, and
     * the slot may move past it. After a reconnect the server may send the commit again; it is
     * recognised by its LSN and its outcome is not passed on twice.
     */
    private void finishEarly(int xid, long commitLsn, long endLsn, String transactionGid) {
        if (commitLsn <= lastCompletedFinalLsn) {
            return;
        }
        lastCompletedFinalLsn = commitLsn;
        lastCommitLsn = commitLsn;
        deliveredEarly.put(xid, Boolean.TRUE);
        outcome(TransactionOutcome.Kind.COMMITTED, xid, xid, transactionGid, commitLsn);
        sink.commit(endLsn);
    }

    private void onPrepared(int xid, long prepareLsn) {
        spools.continueOrStart(xid);
        sink.hold(xid, prepareLsn);
    }

    private void handleRare(PgOutputMessage message, long lsn) {
        if (message instanceof Relation m) {
            relations.onRelation(m);
        } else if (message instanceof Type m) {
            relations.onType(m);
        } else if (message instanceof Truncate m) {
            Truncation how = new Truncation((m.options() & Truncate.CASCADE) != 0,
                    (m.options() & Truncate.RESTART_IDENTITY) != 0);
            for (int relationId : m.relationIds()) {
                RelationInfo r = relations.get(relationId, lsn);
                if (r.included()) {
                    emit(Op.TRUNCATE, r, null, null, lsn, how);
                }
            }
        } else if (message instanceof LogicalMessage m) {
            onMessage(m, lsn);
        } else if (message instanceof Origin m) {
            // Sent after Begin for a transaction that another replication applied; named in its events.
            origin = m.name();
        } else {
            handleStreamingAndTwoPhase(message, lsn);
        }
    }

    /**
     * A transactional message is one more event of its transaction (skipped, like a row change, when the
     * transaction is a resend); a non-transactional one stands alone and is passed on at once, at most
     * once per reader.
     */
    private void onMessage(LogicalMessage m, long lsn) {
        if (skipped.contains(Op.MESSAGE)) {
            return;
        }
        Message body = new Message(m.prefix(), m.content(), m.transactional());
        if (m.transactional()) {
            if (!inTransaction) {
                throw new PgOutputException("transactional message at LSN " + Lsn.format(lsn) + " arrived outside a transaction");
            }
            if (!countAndPassOn()) {
                return;
            }
            Source source = sources.message(txId, m.lsn(), commitTimeMs, lastCommitLsn, finalLsn, origin, gid);
            sink.event(new ChangeEvent(Op.MESSAGE, null, null, source, SourceFactory.nowNanos(), body, null, pending));
            return;
        }
        if (m.lsn() <= lastNonTransactionalLsn) {
            return;
        }
        lastNonTransactionalLsn = m.lsn();
        long now = SourceFactory.nowNanos();
        Source source = sources.message(null, m.lsn(), now / 1_000_000L, lastCommitLsn, 0L, null, null);
        sink.event(ChangeEvent.builder().op(Op.MESSAGE).source(source).tsNs(now).message(body).build());
    }

    private static Row row(RelationInfo r, TupleData tuple, char kind) {
        return r.rows().row(tuple, null, kind == 'K');
    }

    private static Row row(RelationInfo r, TupleData tuple, TupleData fallback) {
        return r.rows().row(tuple, fallback, false);
    }

    /**
     * The connection was lost: remember how far the open transaction got, so that when the server
     * sends it again after the reconnect its first events are not delivered twice.
     */
    void onConnectionLost() {
        if (inTransaction && !replayed) {
            // A resend that was itself cut short may not have got as far as the first attempt.
            interruptedEmitted = finalLsn == interruptedFinalLsn
                    ? Math.max(interruptedEmitted, emittedInTransaction) : emittedInTransaction;
            interruptedFinalLsn = finalLsn;
        }
        inTransaction = false;
        replayed = false;
        toSkip = 0;
        gid = null;
        // The server sends streamed and prepared transactions again from their start (the slot's position
        // stays before an unresolved PREPARE, see Sink#hold).
        keeping = KEEP_NONE;
        pending = null;
        if (spools != null) {
            spools.discardAll();
        }
        // Events of these went out early; the server sends the transactions again from their start.
        restartsToReport.addAll(earlyStreams.keySet());
        earlyStreams.clear();
        // Held before their PREPARE, so the server sends them again too.
        restartsToReport.addAll(earlyPrepared);
        earlyPrepared.clear();
        resentStreams.clear();
    }

    /**
     * Counts one event of the open transaction and says whether to pass it on: not when the whole
     * transaction is a resend this reader already delivered, nor while the part of an interrupted one
     * that was delivered before the reconnect comes again.
     */
    private boolean countAndPassOn() {
        emittedInTransaction++;
        if (replayed) {
            return false;
        }
        if (toSkip > 0) {
            toSkip--;
            return false;
        }
        return true;
    }

    private void emit(Op op, RelationInfo r, Row before, Row after, long lsn) {
        emit(op, r, before, after, lsn, null);
    }

    private void emit(Op op, RelationInfo r, Row before, Row after, long lsn, Truncation truncation) {
        if (!inTransaction) {
            throw new PgOutputException("change at LSN " + Lsn.format(lsn) + " arrived outside a transaction");
        }
        if (skipped.contains(op)) {
            // Skipped in every attempt alike, so it does not count for the reconnect bookkeeping.
            return;
        }
        if (!countAndPassOn()) {
            return;
        }
        Source source = sources.create(r.schema(), r.table(), txId, lsn, commitTimeMs, lastCommitLsn, finalLsn, origin, gid);
        sink.event(new ChangeEvent(op, before, after, source, SourceFactory.nowNanos(), null, truncation, pending));
    }
}
