package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.protocol.BeginPrepare;
import dev.pgoutput.protocol.CommitPrepared;
import dev.pgoutput.protocol.Prepare;
import dev.pgoutput.protocol.RollbackPrepared;
import dev.pgoutput.protocol.StreamPrepare;

/**
 * Reads the bodies of the two-phase commit messages (protocol 3+): Begin Prepare {@code 'b'}, Prepare
 * {@code 'P'}, Commit Prepared {@code 'K'}, Rollback Prepared {@code 'r'} and Stream Prepare {@code 'p'}.
 */
final class TwoPhaseMessages {

    private TwoPhaseMessages() {
    }

    /** Begin Prepare: Int64 prepare_lsn, Int64 end_lsn, Int64 prepare_ts, Int32 xid, String gid. */
    static BeginPrepare beginPrepare(ArrayCursor c) {
        long prepareLsn = c.readLong("prepare_lsn");
        long endLsn = c.readLong("end_lsn");
        long prepareTs = c.readLong("prepare_ts");
        int xid = c.readInt("xid");
        String gid = c.readString("gid");
        return new BeginPrepare(prepareLsn, endLsn, prepareTs, xid, gid);
    }

    /** Prepare: Int8 flags, Int64 prepare_lsn, Int64 end_lsn, Int64 prepare_ts, Int32 xid, String gid. */
    static Prepare prepare(ArrayCursor c) {
        int flags = c.readUnsignedByte("flags");
        long prepareLsn = c.readLong("prepare_lsn");
        long endLsn = c.readLong("end_lsn");
        long prepareTs = c.readLong("prepare_ts");
        int xid = c.readInt("xid");
        String gid = c.readString("gid");
        return new Prepare(flags, prepareLsn, endLsn, prepareTs, xid, gid);
    }

    /** Commit Prepared: Int8 flags, Int64 commit_lsn, Int64 end_lsn, Int64 commit_ts, Int32 xid, String gid. */
    static CommitPrepared commitPrepared(ArrayCursor c) {
        int flags = c.readUnsignedByte("flags");
        long commitLsn = c.readLong("commit_lsn");
        long endLsn = c.readLong("end_lsn");
        long commitTs = c.readLong("commit_ts");
        int xid = c.readInt("xid");
        String gid = c.readString("gid");
        return new CommitPrepared(flags, commitLsn, endLsn, commitTs, xid, gid);
    }

    /**
     * Rollback Prepared: Int8 flags, Int64 prepare end_lsn, Int64 rollback end_lsn, Int64 prepare_ts,
     * Int64 rollback_ts, Int32 xid, String gid.
     */
    static RollbackPrepared rollbackPrepared(ArrayCursor c) {
        int flags = c.readUnsignedByte("flags");
        long prepareEndLsn = c.readLong("prepare end_lsn");
        long rollbackEndLsn = c.readLong("rollback end_lsn");
        long prepareTs = c.readLong("prepare_ts");
        long rollbackTs = c.readLong("rollback_ts");
        int xid = c.readInt("xid");
        String gid = c.readString("gid");
        return new RollbackPrepared(flags, prepareEndLsn, rollbackEndLsn, prepareTs, rollbackTs, xid, gid);
    }

    /** Stream Prepare: Int8 flags, Int64 prepare_lsn, Int64 end_lsn, Int64 prepare_ts, Int32 xid, String gid. */
    static StreamPrepare streamPrepare(ArrayCursor c) {
        int flags = c.readUnsignedByte("flags");
        long prepareLsn = c.readLong("prepare_lsn");
        long endLsn = c.readLong("end_lsn");
        long prepareTs = c.readLong("prepare_ts");
        int xid = c.readInt("xid");
        String gid = c.readString("gid");
        return new StreamPrepare(flags, prepareLsn, endLsn, prepareTs, xid, gid);
    }
}
