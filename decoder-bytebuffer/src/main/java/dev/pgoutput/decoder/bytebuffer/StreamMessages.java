package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamCommit;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;

/**
 * Reads the bodies of the streaming messages (protocol 2+): Stream Start {@code 'S'}, Stream Stop
 * {@code 'E'}, Stream Commit {@code 'c'} and Stream Abort {@code 'A'}. The block state that S and E
 * switch is kept by {@link ByteBufferDecoder}.
 */
final class StreamMessages {

    private static final StreamStop STOP = new StreamStop();

    /** Int64 abort_lsn + Int64 abort_ts, the protocol 4 tail of a Stream Abort. */
    private static final int ABORT_TAIL_BYTES = 16;

    private StreamMessages() {
    }

    /** Stream Start: Int32 xid, Int8 first_segment (1 = first segment). */
    static StreamStart start(ArrayCursor c) {
        int xid = c.readInt("xid");
        int firstSegment = c.readUnsignedByte("first_segment");
        return new StreamStart(xid, firstSegment == 1);
    }

    /** Stream Stop: no body. */
    static StreamStop stop() {
        return STOP;
    }

    /** Stream Commit: Int32 xid, Int8 flags, Int64 commit_lsn, Int64 end_lsn, Int64 commit_ts. */
    static StreamCommit commit(ArrayCursor c) {
        int xid = c.readInt("xid");
        int flags = c.readUnsignedByte("flags");
        long commitLsn = c.readLong("commit_lsn");
        long endLsn = c.readLong("end_lsn");
        long commitTs = c.readLong("commit_ts");
        return new StreamCommit(xid, flags, commitLsn, endLsn, commitTs);
    }

    /**
     * Stream Abort: Int32 xid, Int32 subxid, then Int64 abort_lsn and Int64 abort_ts only with protocol 4
     * and parallel streaming. The decoder does not know the negotiated options, so the message length
     * decides: exactly 16 more bytes are the tail, none means no tail, anything else is malformed.
     */
    static StreamAbort abort(ArrayCursor c) {
        int xid = c.readInt("xid");
        int subXid = c.readInt("subxid");
        int remaining = c.remaining();
        if (remaining == 0) {
            return new StreamAbort(xid, subXid, 0L, 0L);
        }
        if (remaining != ABORT_TAIL_BYTES) {
            throw c.error("expected 0 or " + ABORT_TAIL_BYTES + " bytes (abort_lsn, abort_ts) after subxid, found "
                    + remaining);
        }
        long abortLsn = c.readLong("abort_lsn");
        long abortTs = c.readLong("abort_ts");
        return new StreamAbort(xid, subXid, abortLsn, abortTs);
    }
}
