package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Message;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.Source;
import dev.pgoutput.api.Truncation;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.Update;

/**
 * Makes the events: the rows of a change as views over its tuples, the source block from the
 * transaction's context, and the envelope. Holds nothing that changes.
 */
final class EventFactory {

    private final SourceFactory sources;

    EventFactory(SourceFactory sources) {
        this.sources = sources;
    }

    ChangeEvent insert(Insert m, RelationInfo r, long lsn, TransactionContext tx) {
        return change(Op.CREATE, r, null, r.rows().row(m.newTuple(), null, false), lsn, tx, null);
    }

    ChangeEvent update(Update m, RelationInfo r, long lsn, TransactionContext tx) {
        return update(m, r, lsn, tx, null);
    }

    /**
     * An update whose unchanged-TOAST columns, when the old row does not have them, come from {@code fill}
     * (an incremental snapshot's freshest full row), or stay unchanged markers when it is null.
     */
    ChangeEvent update(Update m, RelationInfo r, long lsn, TransactionContext tx, dev.pgoutput.protocol.TupleData fill) {
        Row before = m.oldTuple() == null ? null : r.rows().row(m.oldTuple(), null, m.oldKind() == 'K');
        // Under FULL the new tuple may still say "unchanged TOAST"; the old row has the value.
        Row after = r.rows().row(m.newTuple(), m.oldKind() == 'O' ? m.oldTuple() : fill, false);
        return change(Op.UPDATE, r, before, after, lsn, tx, null);
    }

    ChangeEvent delete(Delete m, RelationInfo r, long lsn, TransactionContext tx) {
        return change(Op.DELETE, r, r.rows().row(m.oldTuple(), null, m.oldKind() == 'K'), null, lsn, tx, null);
    }

    ChangeEvent truncate(Truncate m, RelationInfo r, long lsn, TransactionContext tx) {
        Truncation how = new Truncation((m.options() & Truncate.CASCADE) != 0,
                (m.options() & Truncate.RESTART_IDENTITY) != 0);
        return change(Op.TRUNCATE, r, null, null, lsn, tx, how);
    }

    /** A logical decoding message that belongs to its transaction. */
    ChangeEvent transactionalMessage(LogicalMessage m, TransactionContext tx) {
        Source source = sources.message(tx.txId(), m.lsn(), tx.commitTimeMs(), tx.lastCommitLsn(), tx.finalLsn(),
                tx.origin(), tx.gid());
        return new ChangeEvent(Op.MESSAGE, null, null, source, SourceFactory.nowNanos(), body(m), null,
                tx.uncommitted());
    }

    /** A logical decoding message outside any transaction: no transaction id, time of its arrival. */
    ChangeEvent standaloneMessage(LogicalMessage m, long lastCommitLsn) {
        long now = SourceFactory.nowNanos();
        Source source = sources.message(null, m.lsn(), now / 1_000_000L, lastCommitLsn, 0L, null, null);
        return new ChangeEvent(Op.MESSAGE, null, null, source, now, body(m), null, null);
    }

    private static Message body(LogicalMessage m) {
        return new Message(m.prefix(), m.content(), m.transactional());
    }

    private ChangeEvent change(Op op, RelationInfo r, Row before, Row after, long lsn, TransactionContext tx,
                               Truncation truncation) {
        Source source = sources.create(r.schema(), r.table(), lsn, tx);
        return new ChangeEvent(op, before, after, source, SourceFactory.nowNanos(), null, truncation, tx.uncommitted());
    }
}
