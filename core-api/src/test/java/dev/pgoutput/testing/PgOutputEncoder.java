package dev.pgoutput.testing;

import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.BeginPrepare;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.CommitPrepared;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Origin;
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

/**
 * Encodes the message model back into pgoutput wire bytes, the way the server's {@code proto.c} writes
 * them (protocol 1 to 4), so that {@code decode(encode(m))} can be checked against {@code m}.
 *
 * <p>Like the server and the decoders, the encoder tracks whether a Stream Start … Stream Stop block is
 * open: inside one, Relation, Type, Insert, Update, Delete, Truncate and Message carry their Int32 xid;
 * outside, the field is not written (and the model's {@code xid} must be 0 for the round trip to hold).
 *
 * <pre>{@code
 * PgOutputEncoder encoder = new PgOutputEncoder();
 * byte[] start = encoder.encode(new StreamStart(700, true)).bytes();
 * byte[] insert = encoder.encode(new Insert(700, 16384, tuple)).bytes();  // xid 700 on the wire
 * }</pre>
 *
 * <p>A Stream Abort gets its protocol 4 tail (abort_lsn, abort_ts) when either field is non-zero: the
 * model cannot tell "no tail" from "a tail of zeros", and both decode to the same record.
 */
public final class PgOutputEncoder {

    private boolean inStreamBlock;

    /** Whether a Stream Start has been encoded without its Stream Stop. */
    public boolean inStreamBlock() {
        return inStreamBlock;
    }

    /** Encodes one message and moves the stream-block state the way the server does. */
    public EncodedMessage encode(PgOutputMessage message) {
        PgOutputBytes w = PgOutputBytes.message(message.typeCode());
        // An instanceof chain rather than a pattern switch: the fixtures compile for Java 17, the release
        // of the portable decoder whose tests use them.
        if (message instanceof Begin m) {
            w.int64(m.finalLsn()).int64(m.commitTimestamp()).int32(m.xid());
        } else if (message instanceof Commit m) {
            w.int8(m.flags()).int64(m.commitLsn()).int64(m.endLsn()).int64(m.commitTimestamp());
        } else if (message instanceof Origin m) {
            w.int64(m.commitLsn()).string(m.name());
        } else if (message instanceof Relation m) {
            xid(w, m.xid());
            w.int32(m.relationId()).string(m.namespace()).string(m.name()).int8(m.replicaIdentity())
                    .count16(m.columns().size());
            for (Relation.Column c : m.columns()) {
                w.column(c.flags(), c.name(), c.typeOid(), c.typeModifier());
            }
        } else if (message instanceof Type m) {
            xid(w, m.xid());
            w.int32(m.typeOid()).string(m.namespace()).string(m.name());
        } else if (message instanceof Insert m) {
            xid(w, m.xid());
            w.int32(m.relationId()).int8('N');
            tuple(w, m.newTuple());
        } else if (message instanceof Update m) {
            xid(w, m.xid());
            w.int32(m.relationId());
            if (m.oldKind() != 0) {
                w.int8(m.oldKind());
                tuple(w, m.oldTuple());
            }
            w.int8('N');
            tuple(w, m.newTuple());
        } else if (message instanceof Delete m) {
            xid(w, m.xid());
            w.int32(m.relationId()).int8(m.oldKind());
            tuple(w, m.oldTuple());
        } else if (message instanceof Truncate m) {
            xid(w, m.xid());
            w.count32(m.relationIds().size()).int8(m.options());
            for (int relationId : m.relationIds()) {
                w.int32(relationId);
            }
        } else if (message instanceof LogicalMessage m) {
            xid(w, m.xid());
            byte[] content = m.content();
            w.int8(m.transactional() ? 1 : 0).int64(m.lsn()).string(m.prefix()).count32(content.length).raw(content);
        } else if (message instanceof StreamStart m) {
            w.int32(m.xid()).int8(m.firstSegment() ? 1 : 0);
        } else if (message instanceof StreamStop) {
            // no body
        } else if (message instanceof StreamCommit m) {
            w.int32(m.xid()).int8(m.flags()).int64(m.commitLsn()).int64(m.endLsn()).int64(m.commitTimestamp());
        } else if (message instanceof StreamAbort m) {
            w.int32(m.xid()).int32(m.subXid());
            if (m.abortLsn() != 0 || m.abortTimestamp() != 0) {
                w.int64(m.abortLsn()).int64(m.abortTimestamp());
            }
        } else if (message instanceof BeginPrepare m) {
            w.int64(m.prepareLsn()).int64(m.endLsn()).int64(m.prepareTimestamp()).int32(m.xid()).string(m.gid());
        } else if (message instanceof Prepare m) {
            prepareLike(w, m.flags(), m.prepareLsn(), m.endLsn(), m.prepareTimestamp(), m.xid(), m.gid());
        } else if (message instanceof CommitPrepared m) {
            prepareLike(w, m.flags(), m.commitLsn(), m.endLsn(), m.commitTimestamp(), m.xid(), m.gid());
        } else if (message instanceof StreamPrepare m) {
            prepareLike(w, m.flags(), m.prepareLsn(), m.endLsn(), m.prepareTimestamp(), m.xid(), m.gid());
        } else if (message instanceof RollbackPrepared m) {
            w.int8(m.flags()).int64(m.prepareEndLsn()).int64(m.rollbackEndLsn()).int64(m.prepareTimestamp())
                    .int64(m.rollbackTimestamp()).int32(m.xid()).string(m.gid());
        } else {
            throw new IllegalArgumentException("no encoding for " + message);
        }
        if (message instanceof StreamStart) {
            inStreamBlock = true;
        } else if (message instanceof StreamStop) {
            inStreamBlock = false;
        }
        return w.encoded();
    }

    /** Prepare, Commit Prepared and Stream Prepare share one layout. */
    private static void prepareLike(PgOutputBytes w, int flags, long lsn, long endLsn, long ts, int xid, String gid) {
        w.int8(flags).int64(lsn).int64(endLsn).int64(ts).int32(xid).string(gid);
    }

    private void xid(PgOutputBytes w, int xid) {
        if (inStreamBlock) {
            w.int32(xid);
        }
    }

    private static void tuple(PgOutputBytes w, TupleData t) {
        w.count16(t.columnCount());
        for (int i = 0; i < t.columnCount(); i++) {
            byte kind = t.kind(i);
            w.int8(kind);
            if (kind == TupleData.TEXT || kind == TupleData.BINARY) {
                w.count32(t.valueLength(i)).raw(t.buffer(), t.valueOffset(i), t.valueLength(i));
            }
        }
    }
}
