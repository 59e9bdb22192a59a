package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Origin;

/**
 * Reads the bodies of the messages that frame an ordinary transaction: Begin {@code 'B'}, Commit
 * {@code 'C'}, Origin {@code 'O'}, and the logical decoding Message {@code 'M'}.
 * Each method starts after the type byte.
 */
final class TransactionMessages {

    private TransactionMessages() {
    }

    /** Begin: Int64 final_lsn, Int64 commit_ts, Int32 xid. */
    static Begin begin(ArrayCursor c) {
        long finalLsn = c.readLong("final_lsn");
        long commitTs = c.readLong("commit_ts");
        int xid = c.readInt("xid");
        return new Begin(finalLsn, commitTs, xid);
    }

    /** Commit: Int8 flags, Int64 commit_lsn, Int64 end_lsn, Int64 commit_ts. */
    static Commit commit(ArrayCursor c) {
        int flags = c.readUnsignedByte("flags");
        long commitLsn = c.readLong("commit_lsn");
        long endLsn = c.readLong("end_lsn");
        long commitTs = c.readLong("commit_ts");
        return new Commit(flags, commitLsn, endLsn, commitTs);
    }

    /** Origin: Int64 origin commit LSN, String origin name. */
    static Origin origin(ArrayCursor c) {
        long commitLsn = c.readLong("origin commit_lsn");
        String name = c.readString("origin name");
        return new Origin(commitLsn, name);
    }

    /**
     * Message: [xid], Int8 flags (bit 1 = transactional), Int64 lsn, String prefix, Int32 length,
     * Byte[length] content. The content is copied: it is opaque bytes that outlive the message.
     */
    static LogicalMessage logicalMessage(ArrayCursor c, int xid) {
        int flags = c.readUnsignedByte("flags");
        long lsn = c.readLong("lsn");
        String prefix = c.readString("prefix");
        int length = c.readLength("content length");
        byte[] content = c.copyChecked(length);
        return new LogicalMessage(xid, (flags & 1) != 0, lsn, prefix, content);
    }
}
