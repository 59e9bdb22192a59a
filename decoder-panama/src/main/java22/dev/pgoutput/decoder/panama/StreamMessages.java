package dev.pgoutput.decoder.panama;

import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamCommit;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;

/**
 * Reads the streaming messages (protocol 2+): Stream Start {@code 'S'}, Stream Stop {@code 'E'}, Stream
 * Commit {@code 'c'} and Stream Abort {@code 'A'}. {@link PanamaDecoder} keeps the block state.
 */
final class StreamMessages {

    private static final StreamStop STOP = new StreamStop();

    /** Int64 abort_lsn and Int64 abort_ts: the Stream Abort tail of protocol 4 with parallel streaming. */
    private static final int ABORT_TAIL_BYTES = 16;

    private StreamMessages() {
    }

    /** Stream Start: Int32 xid, Int8 first_segment (1 = first). */
    static StreamStart start(SegmentCursor c) {
        int xid = c.readInt("xid");
        int firstSegment = c.readUnsignedByte("first_segment");
        return new StreamStart(xid, firstSegment == 1);
    }

    /** Stream Stop: no body. */
    static StreamStop stop() {
        return STOP;
    }

    /** Stream Commit: Int32 xid, Int8 flags, Int64 commit_lsn, Int64 end_lsn, Int64 commit_ts. */
    static StreamCommit commit(SegmentCursor c) {
        int xid = c.readInt("xid");
        int flags = c.readUnsignedByte("flags");
        long commitLsn = c.readLong("commit_lsn");
        long endLsn = c.readLong("end_lsn");
        long commitTs = c.readLong("commit_ts");
        return new StreamCommit(xid, flags, commitLsn, endLsn, commitTs);
    }

    /**
     * Stream Abort: Int32 xid, Int32 subxid, and the 16-byte tail (abort_lsn, abort_ts) only with protocol
     * 4 and parallel streaming. The decoder does not know the negotiated options, so the length decides:
     * nothing or exactly the tail; the check is explicit because a short tail must be reported at its
     * start (after the subxid) with the same message as the ByteBuffer decoder.
     */
    static StreamAbort abort(SegmentCursor c) {
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
