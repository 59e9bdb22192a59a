package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.TransactionOutcome;
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
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.protocol.Update;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Gives protocol messages their meaning: routes each decoded message to what owns its part of the
 * protocol and turns each change of an included table into a {@link ChangeEvent}. It owns the open
 * ordinary transaction ({@link TransactionContext}); the relation cache, what was delivered before a
 * reconnect ({@link ResendFilter}), streamed transactions ({@link StreamedTransactions}) and prepared
 * ones ({@link PreparedTransactions}) each own theirs. Runs on the engine thread only.
 *
 * <p>Streamed and prepared transactions are kept until their outcome and then delivered through this
 * class like any ordinary transaction, in commit order with the others (the server sends each commit in
 * WAL order); on request ({@link Delivery}) they are delivered early instead, marked {@link Uncommitted},
 * and their outcome follows through {@link EventSink#outcome}, in order with the events.
 */
final class EventAssembler implements TransactionFlow {

    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    /** How transactions whose outcome is not known yet are delivered. */
    record Delivery(boolean uncommittedStreams, boolean onPrepare) {
        static final Delivery ON_COMMIT = new Delivery(false, false);
    }

    private final RelationCache relations;
    private final EventFactory events;
    private final EventSink sink;
    /** Operations the application asked not to receive (Debezium's {@code skipped.operations}). */
    private final Set<Op> skipped;
    private final ResendFilter resends = new ResendFilter();
    /** Streamed and prepared transactions; null when neither streaming nor two-phase was requested. */
    private final TransactionSpools spools;
    private final StreamedTransactions streams;
    private final PreparedTransactions prepared;
    /** RESTARTED outcomes of the lost connection, passed on once the reader is connected again. */
    private final List<Integer> restarted = new ArrayList<>();

    /** The stream's side of incremental snapshots; null when the server cannot have them. */
    private WatermarkWindow window;
    /** Whether the application asked for logical decoding messages (they may come for the watermarks only). */
    private boolean deliverMessages = true;

    /** The open ordinary transaction, or null between transactions. */
    private TransactionContext open;
    /**
     * The end LSN of the last commit passed on: Debezium's "last commit LSN" (the first half of its sequence and
     * its offset's {@code lsn_commit}) is the position the server sends a Commit message at, the commit record's
     * end; a connector resuming from an offset compares it with that position (checked against Debezium 3.6.1:
     * with the commit record's start it re-emitted the transaction, kafka-connect's OffsetTakeoverIT).
     */
    private long lastCommitLsn;
    /** Size of the message being handled, charged to the events it gives. */
    private int messageBytes;

    EventAssembler(RelationCache relations, SourceFactory sources, EventSink sink) {
        this(relations, sources, sink, Set.of(), null, Delivery.ON_COMMIT);
    }

    /**
     * @param spools where to keep streamed and prepared transactions until their outcome; null when
     *               neither was requested
     */
    EventAssembler(RelationCache relations, SourceFactory sources, EventSink sink, Set<Op> skipped,
                   TransactionSpools spools, Delivery delivery) {
        this.relations = relations;
        this.events = new EventFactory(sources);
        this.sink = sink;
        this.skipped = skipped.isEmpty() ? EnumSet.noneOf(Op.class) : EnumSet.copyOf(skipped);
        this.spools = spools;
        this.streams = spools == null ? null
                : new StreamedTransactions(spools, this, resends, delivery.uncommittedStreams());
        this.prepared = spools == null ? null
                : new PreparedTransactions(spools, this, resends, streams, sink, delivery.onPrepare());
    }

    /**
     * Turns on incremental snapshots' watermarks; {@code messages} says whether the application's own
     * logical decoding messages are delivered (the server sends them for the watermarks either way).
     */
    void watermarks(WatermarkWindow watermarkWindow, boolean messages) {
        this.window = watermarkWindow;
        this.deliverMessages = messages;
    }

    @Override
    public boolean inTransaction() {
        return open != null;
    }

    /** Whether a streamed block is open, so that the next message carries an xid (the decoder's input). */
    boolean inStreamBlock() {
        return streams != null && streams.inBlock();
    }

    /** Handles one message that came without bytes to keep (tests, and flows that never keep). */
    void handle(PgOutputMessage message, long lsn) {
        handle(message, lsn, NO_BYTES);
    }

    /**
     * Handles one message.
     *
     * @param message the decoded message
     * @param lsn     the XLogData start LSN it came with
     * @param payload its bytes (position to limit), kept when its transaction's outcome is not known yet
     */
    void handle(PgOutputMessage message, long lsn, ByteBuffer payload) {
        messageBytes = payload.remaining();
        if (streams != null && streams.inBlock()) {
            if (streams.onBlockMessage(message, lsn, payload)) {
                return;
            }
        } else if (prepared != null && prepared.keeping() && prepared.keep(message, lsn, payload)) {
            return;
        }
        dispatch(message, lsn);
    }

    private void dispatch(PgOutputMessage message, long lsn) {
        // The hot messages first; the rest are rare.
        if (message instanceof Insert || message instanceof Update || message instanceof Delete) {
            onChange(message, lsn, open, true);
        } else if (message instanceof Begin m) {
            open = TransactionContext.of(m.xid(), m.finalLsn(), PgEpoch.toUnixMillis(m.commitTimestamp()),
                    lastCommitLsn, null, null, null);
            resends.begin(m.finalLsn());
        } else if (message instanceof Commit m) {
            commit(m.commitLsn(), m.endLsn());
        } else {
            dispatchRare(message, lsn);
        }
    }

    private void dispatchRare(PgOutputMessage message, long lsn) {
        if (message instanceof Relation m) {
            relations.onRelation(m);
            if (window != null) {
                window.onRelation(m);
            }
        } else if (message instanceof Type m) {
            relations.onType(m);
        } else if (message instanceof Truncate) {
            onChange(message, lsn, open, true);
        } else if (message instanceof LogicalMessage m) {
            onMessage(m, lsn);
        } else if (message instanceof Origin m) {
            // Sent after Begin for a transaction that another replication applied; named in its events.
            if (open != null) {
                open = open.withOrigin(m.name());
            }
        } else if (message instanceof StreamStart m) {
            streams(m, lsn).start(m, lsn);
        } else if (message instanceof StreamCommit m) {
            streams(m, lsn).commit(m);
        } else if (message instanceof StreamAbort m) {
            streams(m, lsn).abort(m);
        } else if (message instanceof BeginPrepare m) {
            prepared(m, lsn).beginPrepare(m, lsn);
        } else if (message instanceof Prepare m) {
            prepared(m, lsn).prepare(m);
        } else if (message instanceof StreamPrepare m) {
            prepared(m, lsn).streamPrepare(m);
        } else if (message instanceof CommitPrepared m) {
            prepared(m, lsn).commitPrepared(m, lsn);
        } else if (message instanceof RollbackPrepared m) {
            prepared(m, lsn).rollbackPrepared(m);
        } else {
            throw new PgOutputException("unexpected pgoutput message '" + message.typeCode() + "' at LSN "
                    + Lsn.format(lsn) + ": this reader did not request the protocol feature that sends it");
        }
    }

    private StreamedTransactions streams(PgOutputMessage message, long lsn) {
        if (streams == null) {
            throw notRequested(message, lsn, "streaming");
        }
        return streams;
    }

    private PreparedTransactions prepared(PgOutputMessage message, long lsn) {
        if (prepared == null) {
            throw notRequested(message, lsn, "twoPhase");
        }
        return prepared;
    }

    private static PgOutputException notRequested(PgOutputMessage message, long lsn, String option) {
        return new PgOutputException("unexpected pgoutput message '" + message.typeCode() + "' at LSN "
                + Lsn.format(lsn) + ": this reader did not request " + option);
    }

    /**
     * A row change, truncate or transactional message of transaction {@code tx}; {@code counted} when it
     * is part of an ordinary transaction, whose events the resend filter counts.
     */
    private void onChange(PgOutputMessage message, long lsn, TransactionContext tx, boolean counted) {
        if (message instanceof Insert m) {
            RelationInfo r = relations.get(m.relationId(), lsn);
            if (window != null && !skipped.contains(Op.CREATE) && window.watches(r)) {
                window.onInsert(m, r);
            }
            if (r.included() && admit(Op.CREATE, tx, lsn, counted)) {
                sink.event(events.insert(m, r, lsn, tx), messageBytes);
            }
        } else if (message instanceof Update m) {
            RelationInfo r = relations.get(m.relationId(), lsn);
            // A skipped operation leaves the chunk's row in: the application gets the row, not the change.
            TupleData fill = window != null && !skipped.contains(Op.UPDATE) && window.watches(r)
                    ? window.onUpdate(m, r) : null;
            if (r.included() && admit(Op.UPDATE, tx, lsn, counted)) {
                sink.event(events.update(m, r, lsn, tx, fill), messageBytes);
            }
        } else if (message instanceof Delete m) {
            RelationInfo r = relations.get(m.relationId(), lsn);
            if (window != null && !skipped.contains(Op.DELETE) && window.watches(r)) {
                window.onDelete(m, r);
            }
            if (r.included() && admit(Op.DELETE, tx, lsn, counted)) {
                sink.event(events.delete(m, r, lsn, tx), messageBytes);
            }
        } else if (message instanceof Truncate m) {
            for (int relationId : m.relationIds()) {
                RelationInfo r = relations.get(relationId, lsn);
                if (window != null && !skipped.contains(Op.TRUNCATE) && window.watches(r)) {
                    window.onTruncate();
                }
                if (r.included() && admit(Op.TRUNCATE, tx, lsn, counted)) {
                    sink.event(events.truncate(m, r, lsn, tx), messageBytes);
                }
            }
        } else if (message instanceof LogicalMessage m && WatermarkWindow.isWatermark(m)) {
            if (window != null && tx != null) {
                window.onWatermark(m, lsn, tx);
            }
        } else if (message instanceof LogicalMessage m && deliverMessages && !skipped.contains(Op.MESSAGE)) {
            if (tx == null) {
                throw new PgOutputException("transactional message at LSN " + Lsn.format(lsn)
                        + " arrived outside a transaction");
            }
            if (!counted || resends.passOn()) {
                sink.event(events.transactionalMessage(m, tx), messageBytes);
            }
        }
    }

    /** Whether a change is delivered: not a skipped operation, and not part of a resend. */
    private boolean admit(Op op, TransactionContext tx, long lsn, boolean counted) {
        if (tx == null) {
            throw new PgOutputException("change at LSN " + Lsn.format(lsn) + " arrived outside a transaction");
        }
        if (skipped.contains(op)) {
            // Skipped in every attempt alike, so it does not count for the reconnect bookkeeping.
            return false;
        }
        return !counted || resends.passOn();
    }

    /**
     * A transactional message is one more event of its transaction; a non-transactional one stands alone
     * and is passed on at once, at most once per reader.
     */
    private void onMessage(LogicalMessage m, long lsn) {
        if (m.transactional()) {
            onChange(m, lsn, open, true);
        } else if (deliverMessages && !skipped.contains(Op.MESSAGE) && resends.firstNonTransactional(m.lsn())) {
            sink.event(events.standaloneMessage(m, lastCommitLsn), messageBytes);
        }
    }

    // ---------------------------------------------------------------- TransactionFlow

    @Override
    public long lastCommitLsn() {
        return lastCommitLsn;
    }

    @Override
    public void beginPrepared(int xid, long prepareLsn, long prepareTimestamp, String gid) {
        long txId = Integer.toUnsignedLong(xid);
        open = TransactionContext.of(xid, prepareLsn, PgEpoch.toUnixMillis(prepareTimestamp), lastCommitLsn, null,
                gid, new Uncommitted(txId, txId, gid));
        resends.beginByXid(xid, prepareLsn);
    }

    @Override
    public void commit(long commitLsn, long endLsn) {
        // A Commit always follows its Begin, whose final LSN is the commit LSN.
        long finalLsn = open != null ? open.finalLsn() : commitLsn;
        open = null;
        if (resends.complete(finalLsn)) {
            lastCommitLsn = endLsn;
            sink.commit(endLsn);
        }
    }

    @Override
    public void deliverKept(int xid, long commitLsn, long endLsn, long commitTimestamp, String gid,
                            boolean uncommitted, SchemaScope scope) {
        TransactionSpools.Replay replay = spools.take(xid);
        long txId = Integer.toUnsignedLong(xid);
        open = TransactionContext.of(xid, commitLsn, PgEpoch.toUnixMillis(commitTimestamp), lastCommitLsn,
                replay == null ? null : replay.origin(), gid, uncommitted ? new Uncommitted(txId, txId, gid) : null);
        resends.begin(commitLsn);
        if (replay != null) {
            relations.beginOverlay();
            try (replay) {
                while (replay.next()) {
                    KeptMessage kept = replay.current();
                    messageBytes = kept.size();
                    dispatch(kept.message(), kept.lsn());
                }
            } finally {
                relations.endOverlay(scope == SchemaScope.ADOPT_UNKNOWN);
            }
        }
        commit(commitLsn, endLsn);
    }

    @Override
    public void finishEarly(int xid, long commitLsn, long endLsn, String gid) {
        if (!resends.completeOutcome(commitLsn)) {
            return;
        }
        lastCommitLsn = endLsn;
        resends.deliveredEarly(xid);
        outcome(TransactionOutcome.Kind.COMMITTED, xid, xid, gid, commitLsn);
        sink.commit(endLsn);
    }

    @Override
    public void deliverEarly(PgOutputMessage change, long lsn, TransactionContext tx) {
        onChange(change, lsn, tx, false);
    }

    @Override
    public void applySchema(PgOutputMessage schema) {
        dispatchRare(schema, 0);
    }

    @Override
    public void outcome(TransactionOutcome.Kind kind, int xid, int subXid, String gid, long lsn) {
        sink.outcome(new TransactionOutcome(kind, Integer.toUnsignedLong(xid), Integer.toUnsignedLong(subXid), gid,
                lsn));
    }

    // ---------------------------------------------------------------- connection

    /**
     * The connection was lost: remember how far the open transaction got, so that when the server sends
     * it again after the reconnect its first events are not delivered twice, and forget what the server
     * will send again from its start (streamed and prepared transactions).
     */
    void onConnectionLost() {
        resends.connectionLost(open != null, open == null ? 0 : open.finalLsn());
        open = null;
        if (spools != null) {
            streams.connectionLost(restarted);
            prepared.connectionLost(restarted);
            spools.discardAll();
        }
    }

    /**
     * Passes on the RESTARTED outcomes of the connection that was lost: called once the reader is
     * connected again (the queue may be full, and waiting for room sends status updates).
     */
    void reportRestarts() {
        for (int xid : restarted) {
            outcome(TransactionOutcome.Kind.RESTARTED, xid, xid, null, 0);
        }
        restarted.clear();
    }
}
