package dev.pgoutput.bench;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.Source;
import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.PgEpoch;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.Update;

/**
 * Turns decoded messages into {@link ChangeEvent}s by hand, the way the engine shapes them (source block
 * with Debezium's sequence, commit time from Begin), without the engine: only inserts, updates and
 * deletes become events; everything else just updates the transaction state.
 */
public final class EventFactory {

    private static final String VERSION = "bench";
    private static final String SERVER = "bench";
    private static final String DATABASE = "postgres";

    private final Tables tables = new Tables();
    private long txId;
    private long commitTimeMs;
    private long commitLsn;
    private long lastCommitLsn;

    /** Follows one message; returns its event, or {@code null} when it is not a row change. */
    public ChangeEvent accept(PgOutputMessage message, long lsn) {
        return switch (message) {
            case Insert m -> event(Op.CREATE, m.relationId(), m.xid(), lsn, null, tables.after(m));
            case Update m -> event(Op.UPDATE, m.relationId(), m.xid(), lsn, tables.before(m), tables.after(m));
            case Delete m -> event(Op.DELETE, m.relationId(), m.xid(), lsn, tables.before(m), null);
            case Relation r -> {
                tables.onRelation(r);
                yield null;
            }
            case Begin b -> {
                txId = Integer.toUnsignedLong(b.xid());
                commitTimeMs = PgEpoch.toUnixMillis(b.commitTimestamp());
                commitLsn = b.finalLsn();
                yield null;
            }
            case StreamStart s -> {
                txId = Integer.toUnsignedLong(s.xid());
                yield null;
            }
            case Commit c -> {
                lastCommitLsn = c.commitLsn();
                yield null;
            }
            default -> null;
        };
    }

    private ChangeEvent event(Op op, int relationId, int xid, long lsn, Row before, Row after) {
        Tables.Table t = tables.table(relationId);
        long tx = xid != 0 ? Integer.toUnsignedLong(xid) : txId;
        String sequence = "[\"" + lastCommitLsn + "\",\"" + lsn + "\"]";
        // The canonical constructors, as the engine's SourceFactory and EventAssembler make them per event.
        Source source = new Source(VERSION, Source.CONNECTOR, SERVER, commitTimeMs, "false", DATABASE, t.schema(),
                t.name(), tx, lsn, null, sequence, commitLsn, null, null);
        return new ChangeEvent(op, before, after, source, commitTimeMs * 1_000_000L, null, null, null);
    }
}
