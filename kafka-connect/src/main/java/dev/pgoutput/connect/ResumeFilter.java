package dev.pgoutput.connect;

import dev.pgoutput.api.ChangeEvent;
import java.util.Objects;

/**
 * Skips, after a restart, the events that the stored offset says were processed, as Debezium's
 * {@code WalPositionLocator} does, so that a task taking over from Debezium (or from an earlier task of ours)
 * neither loses nor, beyond what the slot forces, repeats changes.
 *
 * <p>The slot's confirmed position is the floor: the server sends every transaction that commits after it, and a
 * slot confirmed less far than the offset (Debezium confirms only the commit before the last transaction it
 * emitted) sends some of them again. An event is processed, and skipped, when
 * <ul>
 *   <li>its transaction committed before the stored {@code lsn_commit} (Debezium's "last processed COMMIT"), or
 *   <li>it belongs to the stored transaction ({@code txId}) and its LSN is at most the stored {@code lsn} (or the
 *       stored message type is {@code COMMIT}: the whole transaction was processed; {@code BEGIN}, the offset of
 *       a transaction metadata BEGIN record: none of it was).
 * </ul>
 * The transaction is recognised by its id, not by LSNs alone: transactions interleave in the WAL, so a later
 * transaction may hold changes with smaller LSNs than the stored one, and skipping by LSN would lose them.
 * Commit LSNs grow in delivery order, so once an event passes, every later one does: the filter then stays open.
 *
 * <p>Used by the task's polling thread only.
 */
final class ResumeFilter {

    private final SourcePosition stored;
    private boolean open;

    /** @param stored the stored offset, or {@code null} when there is none (nothing is skipped) */
    ResumeFilter(SourcePosition stored) {
        this.stored = stored;
        this.open = stored == null;
    }

    /** Whether the event was processed before the restart. */
    boolean processed(ChangeEvent event) {
        if (open) {
            return false;
        }
        var source = event.source();
        long commit = source.commitLsn();
        if (stored.lsnCommit() != null && commit != 0 && commit < stored.lsnCommit()) {
            return true;
        }
        // A BEGIN offset (transaction metadata) says the transaction started, not that any of its changes was done.
        if (stored.txId() != null && Objects.equals(stored.txId(), source.txId())
                && ("COMMIT".equals(stored.messageType())
                    || (!"BEGIN".equals(stored.messageType()) && source.lsn() <= stored.lsn()))) {
            return true;
        }
        open = true;
        return false;
    }

    /** The stored position the filter started from, or {@code null}. */
    SourcePosition stored() {
        return stored;
    }
}
