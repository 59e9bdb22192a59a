package dev.pgoutput.internal.engine;

import dev.pgoutput.api.Source;
import java.time.Instant;

/**
 * Builds source blocks, holding what is the same for every event of a reader.
 */
final class SourceFactory {

    private final String version;
    private final String serverName;
    private final String database;

    SourceFactory(String version, String serverName, String database) {
        this.version = version;
        this.serverName = serverName;
        this.database = database;
    }

    /** The source block of a row change of transaction {@code tx} at {@code lsn}. */
    Source create(String schema, String table, long lsn, TransactionContext tx) {
        return new Source(version, Source.CONNECTOR, serverName, tx.commitTimeMs(), "false", database, schema, table,
                tx.txId(), lsn, null, tx.sequence(lsn), tx.finalLsn(), tx.origin(), tx.gid());
    }

    /**
     * The source block of a logical decoding message: no schema or table; the transaction's id, time and
     * commit LSN when it is transactional, none of them when it is not.
     */
    Source message(Long txId, long lsn, long tsMs, long lastCommitLsn, long commitLsn, String origin, String gid) {
        String sequence = "[" + TransactionContext.lastCommit(lastCommitLsn) + ",\"" + lsn + "\"]";
        return new Source(version, Source.CONNECTOR, serverName, tsMs, "false", database, null, null,
                txId, lsn, null, sequence, commitLsn, origin, gid);
    }

    /**
     * The source block of a row read by the initial snapshot: Debezium's snapshot marker, the slot's
     * consistent point as LSN, the snapshot's xmin as transaction, and when the row was read. The sequence
     * is the same for every row of a snapshot: {@link #snapshotSequence}, made once.
     */
    Source snapshot(String schema, String table, Long snapshotXid, long consistentPoint, String sequence, String marker,
                    long readAtMs) {
        return new Source(version, Source.CONNECTOR, serverName, readAtMs, marker, database, schema, table,
                snapshotXid, consistentPoint, null, sequence, consistentPoint, null, null);
    }

    /** Debezium's sequence of the initial snapshot's rows: no commit before, the consistent point. */
    static String snapshotSequence(long consistentPoint) {
        return "[null,\"" + consistentPoint + "\"]";
    }

    /**
     * The source block of a row read by an incremental snapshot: Debezium's {@code incremental} marker, no
     * transaction of its own, and as position the high watermark it was delivered at, in the watermark's
     * transaction (so that acknowledging it moves the slot past the chunk).
     */
    Source incremental(String schema, String table, long lsn, TransactionContext tx, long readAtMs) {
        return new Source(version, Source.CONNECTOR, serverName, readAtMs, "incremental", database, schema, table,
                null, lsn, null, tx.sequence(lsn), tx.finalLsn(), null, null);
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
