package dev.pgoutput.conformance;

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
final class PgOutputEncoder {

    /**
     * One encoded message.
     *
     * @param bytes            the whole message, type byte first
     * @param sizeFieldOffsets where counts and lengths were written, for targeted mutation
     * @param sizeFieldWidths  their widths in bytes (2 or 4)
     */
    record Encoded(byte[] bytes, int[] sizeFieldOffsets, int[] sizeFieldWidths) {
    }

    private boolean inStreamBlock;

    /** Whether a Stream Start has been encoded without its Stream Stop. */
    boolean inStreamBlock() {
        return inStreamBlock;
    }

    /** Encodes one message and moves the stream-block state the way the server does. */
    Encoded encode(PgOutputMessage message) {
        WireWriter w = new WireWriter();
        w.int8(message.typeCode());
        switch (message) {
            case Begin m -> {
                w.int64(m.finalLsn());
                w.int64(m.commitTimestamp());
                w.int32(m.xid());
            }
            case Commit m -> {
                w.int8(m.flags());
                w.int64(m.commitLsn());
                w.int64(m.endLsn());
                w.int64(m.commitTimestamp());
            }
            case Origin m -> {
                w.int64(m.commitLsn());
                w.string(m.name());
            }
            case Relation m -> {
                xid(w, m.xid());
                w.int32(m.relationId());
                w.string(m.namespace());
                w.string(m.name());
                w.int8(m.replicaIdentity());
                w.count16(m.columns().size());
                for (Relation.Column c : m.columns()) {
                    w.int8(c.flags());
                    w.string(c.name());
                    w.int32(c.typeOid());
                    w.int32(c.typeModifier());
                }
            }
            case Type m -> {
                xid(w, m.xid());
                w.int32(m.typeOid());
                w.string(m.namespace());
                w.string(m.name());
            }
            case Insert m -> {
                xid(w, m.xid());
                w.int32(m.relationId());
                w.int8('N');
                tuple(w, m.newTuple());
            }
            case Update m -> {
                xid(w, m.xid());
                w.int32(m.relationId());
                if (m.oldKind() != 0) {
                    w.int8(m.oldKind());
                    tuple(w, m.oldTuple());
                }
                w.int8('N');
                tuple(w, m.newTuple());
            }
            case Delete m -> {
                xid(w, m.xid());
                w.int32(m.relationId());
                w.int8(m.oldKind());
                tuple(w, m.oldTuple());
            }
            case Truncate m -> {
                xid(w, m.xid());
                w.count32(m.relationIds().size());
                w.int8(m.options());
                for (int relationId : m.relationIds()) {
                    w.int32(relationId);
                }
            }
            case LogicalMessage m -> {
                xid(w, m.xid());
                w.int8(m.transactional() ? 1 : 0);
                w.int64(m.lsn());
                w.string(m.prefix());
                byte[] content = m.content();
                w.count32(content.length);
                w.raw(content, 0, content.length);
            }
            case StreamStart m -> {
                w.int32(m.xid());
                w.int8(m.firstSegment() ? 1 : 0);
            }
            case StreamStop m -> {
                // no body
            }
            case StreamCommit m -> {
                w.int32(m.xid());
                w.int8(m.flags());
                w.int64(m.commitLsn());
                w.int64(m.endLsn());
                w.int64(m.commitTimestamp());
            }
            case StreamAbort m -> {
                w.int32(m.xid());
                w.int32(m.subXid());
                if (m.abortLsn() != 0 || m.abortTimestamp() != 0) {
                    w.int64(m.abortLsn());
                    w.int64(m.abortTimestamp());
                }
            }
            case BeginPrepare m -> {
                w.int64(m.prepareLsn());
                w.int64(m.endLsn());
                w.int64(m.prepareTimestamp());
                w.int32(m.xid());
                w.string(m.gid());
            }
            case Prepare m -> prepareLike(w, m.flags(), m.prepareLsn(), m.endLsn(), m.prepareTimestamp(), m.xid(), m.gid());
            case CommitPrepared m ->
                    prepareLike(w, m.flags(), m.commitLsn(), m.endLsn(), m.commitTimestamp(), m.xid(), m.gid());
            case StreamPrepare m ->
                    prepareLike(w, m.flags(), m.prepareLsn(), m.endLsn(), m.prepareTimestamp(), m.xid(), m.gid());
            case RollbackPrepared m -> {
                w.int8(m.flags());
                w.int64(m.prepareEndLsn());
                w.int64(m.rollbackEndLsn());
                w.int64(m.prepareTimestamp());
                w.int64(m.rollbackTimestamp());
                w.int32(m.xid());
                w.string(m.gid());
            }
        }
        if (message instanceof StreamStart) {
            inStreamBlock = true;
        } else if (message instanceof StreamStop) {
            inStreamBlock = false;
        }
        return new Encoded(w.toByteArray(), w.sizeFieldOffsets(), w.sizeFieldWidths());
    }

    /** Prepare, Commit Prepared and Stream Prepare share one layout. */
    private static void prepareLike(WireWriter w, int flags, long lsn, long endLsn, long ts, int xid, String gid) {
        w.int8(flags);
        w.int64(lsn);
        w.int64(endLsn);
        w.int64(ts);
        w.int32(xid);
        w.string(gid);
    }

    private void xid(WireWriter w, int xid) {
        if (inStreamBlock) {
            w.int32(xid);
        }
    }

    private static void tuple(WireWriter w, TupleData t) {
        w.count16(t.columnCount());
        for (int i = 0; i < t.columnCount(); i++) {
            byte kind = t.kind(i);
            w.int8(kind);
            if (kind == TupleData.TEXT || kind == TupleData.BINARY) {
                w.count32(t.valueLength(i));
                w.raw(t.buffer(), t.valueOffset(i), t.valueLength(i));
            }
        }
    }
}
