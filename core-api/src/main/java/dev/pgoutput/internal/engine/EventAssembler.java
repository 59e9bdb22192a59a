package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Message;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.Source;
import dev.pgoutput.api.Truncation;
import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.protocol.Origin;
import dev.pgoutput.protocol.PgEpoch;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.protocol.Update;

/**
 * Gives protocol messages their meaning: keeps the relation cache and the open transaction, and turns
 * each change of an included table into a {@link ChangeEvent}. Runs on the engine thread only.
 */
final class EventAssembler {

    /** Where finished events and commits go. */
    interface Sink {
        /** One change event, in delivery order. */
        void event(ChangeEvent event);

        /** A transaction ended at {@code endLsn}; every event of it was passed to {@link #event} before. */
        void commit(long endLsn);
    }

    private final RelationCache relations;
    private final SourceFactory sources;
    private final Sink sink;
    /** Operations the application asked not to receive (Debezium's {@code skipped.operations}). */
    private final java.util.Set<Op> skipped;

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
        this(relations, sources, sink, java.util.Set.of());
    }

    EventAssembler(RelationCache relations, SourceFactory sources, Sink sink, java.util.Set<Op> skipped) {
        this.relations = relations;
        this.sources = sources;
        this.sink = sink;
        this.skipped = skipped.isEmpty() ? java.util.EnumSet.noneOf(Op.class) : java.util.EnumSet.copyOf(skipped);
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
                Row after = Row.of(r.columns(), m.newTuple(), m.oldKind() == 'O' ? m.oldTuple() : null, false);
                emit(Op.UPDATE, r, before, after, lsn);
            }
        } else if (message instanceof Delete m) {
            RelationInfo r = relations.get(m.relationId(), lsn);
            if (r.included()) {
                emit(Op.DELETE, r, row(r, m.oldTuple(), m.oldKind()), null, lsn);
            }
        } else if (message instanceof Begin m) {
            inTransaction = true;
            txId = Integer.toUnsignedLong(m.xid());
            finalLsn = m.finalLsn();
            commitTimeMs = PgEpoch.toUnixMillis(m.commitTimestamp());
            origin = null;
            emittedInTransaction = 0;
            replayed = finalLsn <= lastCompletedFinalLsn;
            toSkip = !replayed && finalLsn == interruptedFinalLsn ? interruptedEmitted : 0;
        } else if (message instanceof Commit m) {
            inTransaction = false;
            if (replayed) {
                replayed = false;
                return;
            }
            if (finalLsn == interruptedFinalLsn) {
                interruptedFinalLsn = 0;
            }
            lastCompletedFinalLsn = finalLsn;
            lastCommitLsn = m.commitLsn();
            sink.commit(m.endLsn());
        } else {
            handleRare(message, lsn);
        }
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
            throw new PgOutputException("unexpected pgoutput message '" + message.typeCode() + "' at LSN "
                    + Lsn.format(lsn) + ": this reader did not request the protocol feature that sends it");
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
            Source source = sources.message(txId, m.lsn(), commitTimeMs, lastCommitLsn, finalLsn, origin);
            sink.event(ChangeEvent.ofMessage(body, source, SourceFactory.nowNanos()));
            return;
        }
        if (m.lsn() <= lastNonTransactionalLsn) {
            return;
        }
        lastNonTransactionalLsn = m.lsn();
        long now = SourceFactory.nowNanos();
        Source source = sources.message(null, m.lsn(), now / 1_000_000L, lastCommitLsn, 0L, null);
        sink.event(ChangeEvent.ofMessage(body, source, now));
    }

    private static Row row(RelationInfo r, TupleData tuple, char kind) {
        return Row.of(r.columns(), tuple, null, kind == 'K');
    }

    private static Row row(RelationInfo r, TupleData tuple, TupleData fallback) {
        return Row.of(r.columns(), tuple, fallback, false);
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
        Source source = sources.create(r.schema(), r.table(), txId, lsn, commitTimeMs, lastCommitLsn, finalLsn, origin);
        sink.event(new ChangeEvent(op, before, after, source, SourceFactory.nowNanos(), null, truncation));
    }
}
