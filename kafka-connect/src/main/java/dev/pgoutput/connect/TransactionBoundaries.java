package dev.pgoutput.connect;

import dev.pgoutput.api.ChangeEvent;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;

/**
 * One Kafka transaction per PostgreSQL transaction, for an exactly-once worker running the connector with
 * {@code transaction.boundary=connector} (KIP-618): the task asks Connect to commit the Kafka transaction on the
 * last record of each PostgreSQL transaction, so that a {@code read_committed} consumer sees each PostgreSQL
 * transaction whole or not at all, across all of its tables' topics. A PostgreSQL transaction of more than
 * {@value PgOutputConnectorConfig#TRANSACTION_MAX_RECORDS} records is committed in several Kafka transactions of
 * that many records (two more when the cap falls inside one change's records, which are never cut), so that
 * none outlives the producer's {@code transaction.timeout.ms}.
 *
 * <p>Connect commits on a record only while dispatching it ({@code TransactionContext.commitTransaction(record)} is
 * looked up as each record of a batch is sent), so the record to commit on must not have been returned yet when
 * the task learns that it ends its transaction. The last record of the open PostgreSQL transaction is therefore
 * <em>held</em>: it goes out with the next record of the same transaction (which becomes the held one), or, with a
 * commit request, once the transaction is known to be complete: when an event of another transaction arrives,
 * or when the reader has passed the commit ({@code LogicalReplicationReader.isTransactionComplete()}), which it
 * usually has by the end of the same poll. A held record has no acknowledgement, so it holds the slot back as
 * every unacknowledged record does; if the task stops, it is streamed again.
 *
 * <p>Without a transaction context (a worker without exactly-once support, or {@code transaction.boundary} poll or
 * interval, where Connect draws the boundaries) records pass straight through.
 *
 * <p>Used by the task's polling thread only.
 */
final class TransactionBoundaries {

    private final TransactionContext context;
    private final int maxRecords;
    /** The last record of the open PostgreSQL transaction, not returned yet; null when there is none. */
    private SourceRecord held;
    /** The commit LSN and transaction id of the last event added. */
    private long commitLsn = -1;
    private Long txId;
    /** Records in the open Kafka transaction, the held one included. */
    private int open;

    /**
     * @param context    the task's transaction context, or {@code null} when Connect draws the boundaries
     * @param maxRecords at most this many records per Kafka transaction
     */
    TransactionBoundaries(TransactionContext context, int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, got " + maxRecords);
        }
        this.context = context;
        this.maxRecords = maxRecords;
    }

    /** Whether the task draws the boundaries (there is a transaction context). */
    boolean definesBoundaries() {
        return context != null;
    }

    /** Adds the records made of one event (possibly none) to {@code batch}, the last one of them held. */
    void add(ChangeEvent event, List<SourceRecord> made, List<SourceRecord> batch) {
        if (context == null) {
            batch.addAll(made);
            return;
        }
        var source = event.source();
        if (held != null && (source.commitLsn() != commitLsn || !Objects.equals(source.txId(), txId))) {
            // Events of a transaction are contiguous: another transaction's event means the held one's has ended.
            commitHeld(batch);
        }
        commitLsn = source.commitLsn();
        txId = source.txId();
        for (SourceRecord record : made) {
            if (held != null) {
                batch.add(held);
            }
            held = record;
            open++;
        }
        // The cap is applied between events only: an event's records (a delete and its tombstone, a key change's
        // three) share one source offset, and a commit between them would store an offset that, after a restart,
        // skips the ones not committed yet.
        if (held != null && open >= maxRecords) {
            commitHeld(batch);
        }
    }

    /**
     * At the end of a batch: when the reader says the last event's transaction is complete, its held record goes
     * out with a commit request.
     */
    void endBatch(boolean transactionComplete, List<SourceRecord> batch) {
        if (held != null && transactionComplete) {
            commitHeld(batch);
        }
    }

    /**
     * Asks Connect for a commit of an empty batch, which commits nothing but makes it call the task's
     * {@code commit()} again; only when no Kafka transaction of ours is open (a batch commit would cut it).
     *
     * @return whether it was asked
     */
    boolean requestEmptyCommit() {
        if (context == null || open > 0) {
            return false;
        }
        context.commitTransaction();
        return true;
    }

    private void commitHeld(List<SourceRecord> batch) {
        batch.add(held);
        context.commitTransaction(held);
        held = null;
        open = 0;
    }
}
