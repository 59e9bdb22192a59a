package dev.pgoutput.connect;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Every event the task took from the reader, in delivery order, with the records made of it: decides how far
 * the slot may be confirmed. The rule (docs/KAFKA-CONNECT.md): <b>only up to the contiguous prefix of events
 * whose records Kafka acknowledged and whose offsets the last offset flush persisted.</b>
 *
 * <p>Why both conditions, and why a prefix:
 * <ul>
 *   <li>Kafka acknowledges records through producer callbacks, which are not ordered across partitions: a record
 *       of a later event may be acknowledged while an earlier one is still in flight. Confirming on "the last
 *       callback" (as Debezium does) could move the slot past the record still in flight, and a crash then loses
 *       it. So an event counts only when all of its records (a delete and its tombstone, the three records of a
 *       key change, which share one source offset) are acknowledged, and only a prefix counts.
 *   <li>A record acknowledged by Kafka is not yet a record whose offset is stored: if the worker dies before the
 *       next flush, the successor resumes from the older stored offset and the slot's position. Both are fine
 *       only while the slot is no further than the stored offset, or the stored offset's skip rule ({@link
 *       ResumeFilter}) and the slot disagree. So confirmation also waits for the flush.
 * </ul>
 *
 * <p>"Persisted by the last flush", in Connect 4.x: the worker tracks submitted records per source partition in
 * submission order ({@code SubmittedRecords}); a record is acked before {@code commitRecord} is called for it;
 * between polls the task thread takes the offset of the contiguous acked prefix ({@code committableOffsets()});
 * {@code commitOffsets()} writes that snapshot through the {@code OffsetStorageWriter}, waits for the write, and
 * only on success calls {@link org.apache.kafka.connect.source.SourceTask#commit()}. A flush that fails or times
 * out does not call {@code commit()}, and records acked after the snapshot are not in it. So what was persisted
 * is not "everything acked by the time {@code commit()} runs". Instead of mirroring the worker's snapshot timing,
 * {@code commit()} reads the stored offset back through the task's {@code OffsetStorageReader} (which reads the
 * offset topic to its end) and {@link #persisted} finds the event whose offset it is: that event and every event
 * before it are persisted. Reading back is the ground truth whatever the worker's internals (plain or
 * exactly-once tasks, a flush that raced with another). An offset that matches no event here (an older one, or
 * Debezium's on a takeover) confirms nothing new.
 *
 * <p>Under exactly-once support (KIP-618, {@code ExactlyOnceWorkerSourceTask} in Connect 4.x) the same rule holds
 * with other timing: the worker writes the offsets inside the Kafka transaction of their records, and after the
 * transaction committed it calls {@code commitRecord} for each of its records and then {@code commit()}, all on the
 * polling thread, between two polls. No periodic flush calls {@code commit()}; the read-back sees the transaction
 * once its markers reached the offsets topic ({@code read_committed}), and a read-back that comes too early
 * confirms less, never more. Connect keeps a transaction's records in a map keyed by {@code SourceRecord}
 * equality, so two equal records in one transaction would get one {@code commitRecord} between them; ours never
 * are equal (each event's records have their own offset, and an event's records differ in key or value).
 *
 * <p>Events that made no record (skipped on resume, or not turned into records) hold nothing in Kafka: they are
 * confirmed with the events around them, and when they lead, straight away, so an idle slot is never pinned.
 *
 * <p>The reader is acknowledged on the polling thread ({@link #takeAcknowledgement()}), where every event the
 * reader delivered is in this ledger: the reader's {@code acknowledge(lsn)} covers "everything delivered up to the
 * last event whose LSN is at most {@code lsn}", and since transactions interleave in the WAL, an LSN taken from
 * an event could cover later-delivered events with smaller LSNs. The LSN passed is therefore one below the
 * smallest LSN of the events that must stay unacknowledged; it may acknowledge fewer events than allowed (they
 * follow at the next flush), never more.
 *
 * <p>Thread-safe: the polling thread adds and acknowledges the reader, producer threads call {@link
 * #acknowledged}, the offset-commit thread calls {@link #persisted}.
 */
final class AcknowledgementLedger {

    /** One delivered event: its delivery number, LSN, offset and how many of its records Kafka still owes. */
    private static final class Entry {
        final long number;
        final long lsn;
        final SourcePosition position;
        final boolean hasRecords;
        int outstanding;

        Entry(long number, long lsn, SourcePosition position, int records) {
            this.number = number;
            this.lsn = lsn;
            this.position = position;
            this.hasRecords = records > 0;
            this.outstanding = records;
        }
    }

    /**
     * The LSN of an entry that holds no change of the reader's (a heartbeat): it never keeps the reader from being
     * acknowledged, and is forgotten with the entries around it; it still waits for Kafka like any record.
     */
    static final long NO_CHANGE = Long.MAX_VALUE;

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Map<SourceRecord, Entry> byRecord = new IdentityHashMap<>();
    private long delivered;
    /** Every event up to this delivery number may be confirmed. */
    private long confirmable;

    /** Records an event taken from the reader and the records made of it (possibly none). */
    synchronized void add(long lsn, SourcePosition position, List<SourceRecord> records) {
        Entry entry = new Entry(++delivered, lsn, position, records.size());
        entries.addLast(entry);
        for (SourceRecord record : records) {
            byRecord.put(record, entry);
        }
    }

    /**
     * Kafka acknowledged a record (or the worker dropped it on purpose: a filtering transformation, a tolerated
     * conversion error; it is then done with it too).
     */
    synchronized void acknowledged(SourceRecord record) {
        Entry entry = byRecord.remove(record);
        if (entry != null) {
            entry.outstanding--;
        }
    }

    /**
     * The offset store holds {@code stored}: moves the confirmable prefix to the event with that offset, as far
     * as every event up to it is wholly acknowledged, and over the record-less events right after it.
     *
     * @param stored the stored offset, or {@code null} when none is stored
     */
    synchronized void persisted(SourcePosition stored) {
        long match = -1;
        if (stored != null) {
            // The last entry with that offset: a heartbeat repeats the offset of the event before it, and both
            // are covered once the later one is (the loop below still stops at records in flight).
            for (Entry e : entries) {
                if (e.hasRecords && e.position.equals(stored)) {
                    match = e.number;
                }
            }
        }
        long through = confirmable;
        for (Entry e : entries) {
            if (e.outstanding > 0 || (e.hasRecords && e.number > match)) {
                break;
            }
            through = e.number;
        }
        confirmable = Math.max(confirmable, through);
    }

    /**
     * Whether a read-back of the stored offset could confirm more: the first event not yet confirmable is wholly
     * acknowledged (or made no record). When it is not, {@link #persisted} cannot move, whatever is stored.
     */
    synchronized boolean awaitsPersistence() {
        for (Entry e : entries) {
            if (e.number > confirmable) {
                return e.outstanding == 0;
            }
        }
        return false;
    }

    /**
     * On the polling thread: the LSN to pass to the reader's {@code acknowledge(long)} for the events that may be
     * confirmed, forgetting them; empty when there are none.
     */
    synchronized OptionalLong takeAcknowledgement() {
        if (entries.isEmpty() || entries.peekFirst().number > confirmable) {
            return OptionalLong.empty();
        }
        long limit = Long.MAX_VALUE;
        for (Entry e : entries) {
            if (e.number > confirmable && e.lsn != NO_CHANGE) {
                limit = Math.min(limit, e.lsn - 1);
            }
        }
        // The reader acknowledges through the last delivered event at or below the limit.
        long through = 0;
        for (Entry e : entries) {
            if (e.number <= confirmable && (e.lsn <= limit || e.lsn == NO_CHANGE)) {
                through = e.number;
            }
        }
        if (through == 0) {
            return OptionalLong.empty();
        }
        while (!entries.isEmpty() && entries.peekFirst().number <= through) {
            Entry e = entries.removeFirst();
            if (e.outstanding > 0) {
                throw new IllegalStateException("confirming event " + e.number + " with records in flight");
            }
        }
        return OptionalLong.of(limit);
    }

    /** Events delivered and not yet confirmed, for logs and tests. */
    synchronized int pending() {
        return entries.size();
    }
}
