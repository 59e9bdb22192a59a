package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.protocol.TupleData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the copy's rows into the delivery queue from several workers, one at a time so that the queue's
 * order and the tracker's numbering agree, and gives each row Debezium's snapshot marker: {@code first}
 * for the first row of the snapshot, {@code first_in_data_collection} for the first of each table,
 * {@code last_in_data_collection} for the last of each table, {@code last} for the very last, and
 * {@code true} for the others. A row is known to be a table's last only when its range ends, so each
 * worker holds its latest row back until the next one comes or its range is done.
 */
final class SnapshotDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotDelivery.class);
    private static final long PROGRESS_NANOS = 10_000_000_000L;

    private final SourceFactory sources;
    private final DeliveryQueue queue;
    private final AcknowledgementTracker tracker;
    private final DeliveryQueue.Waiting waiting;
    private final Object lock = new Object();

    /** How far one table's copy is. */
    private static final class TableProgress {
        int rangesLeft;
        boolean started;
    }

    // Guarded by lock.
    private final Map<RelationInfo, TableProgress> tables = new HashMap<>();
    private int totalRangesLeft;
    private boolean anyDelivered;
    private long rows;
    private long lastItem;
    private long estimatedRows;
    private long xmin;
    private long consistentPoint;
    private long beganNanos;
    private long lastProgressNanos;

    SnapshotDelivery(SourceFactory sources, DeliveryQueue queue, AcknowledgementTracker tracker,
                     DeliveryQueue.Waiting waiting) {
        this.sources = sources;
        this.queue = queue;
        this.tracker = tracker;
        this.waiting = waiting;
    }

    /** The copy's plan: how many ranges each table has. */
    void begin(List<InitialSnapshot.Range> ranges, long snapshotXmin, long point) {
        synchronized (lock) {
            for (InitialSnapshot.Range r : ranges) {
                TableProgress table = tables.get(r.table());
                if (table == null) {
                    table = new TableProgress();
                    tables.put(r.table(), table);
                    estimatedRows += Math.max(0, r.published().estimatedRows());
                }
                table.rangesLeft++;
            }
            totalRangesLeft = ranges.size();
            xmin = snapshotXmin;
            consistentPoint = point;
            beganNanos = System.nanoTime();
            lastProgressNanos = beganNanos;
        }
    }

    /** Rows delivered so far. */
    long rows() {
        synchronized (lock) {
            return rows;
        }
    }

    /** The tracker's number of the last row delivered. */
    long lastItem() {
        synchronized (lock) {
            return lastItem;
        }
    }

    /** A worker's hand-off for one range. */
    Worker worker(InitialSnapshot.Range range) {
        synchronized (lock) {
            return new Worker(range, tables.get(range.table()));
        }
    }

    /** One range's rows, each held back until the next is known. */
    final class Worker {
        private final InitialSnapshot.Range range;
        /** Its table's progress, looked up once rather than per row. */
        private final TableProgress progress;
        private TupleData held;

        private Worker(InitialSnapshot.Range range, TableProgress progress) {
            this.range = range;
            this.progress = progress;
        }

        /** The next row of the range; the one before it goes out. */
        void row(TupleData tuple) {
            if (held != null) {
                synchronized (lock) {
                    deliverLocked(range.table(), progress, held, false);
                }
            }
            held = tuple;
        }

        /** The range has no more rows: the held one may be its table's last, or the snapshot's. */
        void rangeDone() {
            synchronized (lock) {
                int left = --progress.rangesLeft;
                totalRangesLeft--;
                if (held != null) {
                    deliverLocked(range.table(), progress, held, left == 0);
                    held = null;
                }
            }
        }
    }

    private void deliverLocked(RelationInfo table, TableProgress progress, TupleData tuple, boolean lastOfTable) {
        String marker;
        boolean firstOfTable = !progress.started;
        progress.started = true;
        if (lastOfTable && totalRangesLeft == 0) {
            marker = "last";
        } else if (!anyDelivered) {
            marker = "first";
        } else if (lastOfTable) {
            marker = "last_in_data_collection";
        } else if (firstOfTable) {
            marker = "first_in_data_collection";
        } else {
            marker = "true";
        }
        anyDelivered = true;
        long now = System.currentTimeMillis();
        ChangeEvent event = InitialSnapshot.event(table,
                sources.snapshot(table.schema(), table.table(), xmin, consistentPoint, marker, now), tuple);
        lastItem = tracker.onEnqueued();
        queue.putEvent(event, tuple.buffer().length, waiting);
        rows++;
        long nanos = System.nanoTime();
        if (nanos - lastProgressNanos >= PROGRESS_NANOS) {
            lastProgressNanos = nanos;
            double seconds = (nanos - beganNanos) / 1e9;
            LOG.info("Initial snapshot: {} of about {} rows, {} rows/s, {} s old", rows, estimatedRows,
                    Math.round(rows / Math.max(seconds, 1e-3)), Math.round(seconds));
        }
    }
}
