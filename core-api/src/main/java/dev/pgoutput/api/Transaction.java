package dev.pgoutput.api;

import java.time.Instant;
import java.util.Iterator;

/**
 * One PostgreSQL transaction as {@link LogicalReplicationReader#transactions()} gives it, in commit order:
 * what is known of it from its first event, and its events as an iterator that streams them, so that a
 * transaction of millions of rows passes without being held. Leaving the iterator half-way (asking for the
 * next transaction) skips the rest of it. Streamed and prepared transactions appear at their commit.
 *
 * <pre>{@code
 * for (Transaction tx : reader.transactions()) {
 *     try (var batch = target.begin()) {
 *         tx.events().forEachRemaining(batch::apply);
 *         batch.commit(tx.commitLsn());
 *     }
 *     reader.acknowledge(tx);
 * }
 * }</pre>
 *
 * <p>The rows of an initial snapshot come as one transaction (its xid the snapshot's xmin, its commit LSN
 * the slot's consistent point, end LSN 0), and a logical decoding message sent outside any transaction as a
 * transaction of its own (xid 0).
 */
public interface Transaction {

    /** The transaction id (unsigned 32 bits), 0 for a message outside any transaction. */
    long xid();

    /** Where its commit record starts (for a prepared transaction: its COMMIT PREPARED). */
    long commitLsn();

    /** Where its commit record ends; known once its events were read to the end, 0 before (and for a snapshot). */
    long endLsn();

    /** When it committed. */
    Instant commitTime();

    /** The replication origin it came from, or null. */
    String origin();

    /** The global id of a prepared transaction, or null. */
    String gid();

    /** Its events, in order; one iterator per transaction, read once. */
    Iterator<ChangeEvent> events();
}
