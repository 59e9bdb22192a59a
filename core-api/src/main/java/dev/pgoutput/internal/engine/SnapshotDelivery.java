package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.protocol.TupleData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the copy's rows into the delivery queue from several workers, one at a time so that the queue's
 * order and the tracker's numbering agree, and gives each row Debezium's snapshot marker: {@code first}
 * for the first row of the snapshot, {@code first_in_data_collection} for the first of each table,
 * {@code last_in_data_collection} for the last of each table, {@code last} for the very last, and
 * {@code true} for the others. A row is known to be a table's last only when every range of the table
 * ended (the last range to end may have no rows), and the snapshot's last only when every range did: so
 * each worker holds its latest row back until the next one comes, a finished range's last row waits with
 * its table until the table's next range ends, and a finished table's last row waits until any other row
 * goes out (as Debezium holds back one record).
 */
final class SnapshotDelivery {


    private final SourceFactory sources;
    private final DeliveryQueue queue;
    private final AcknowledgementTracker tracker;
    private final DeliveryQueue.Waiting waiting;
    private final SnapshotProgress figures;
    private final Object lock = new Object();

    /** How far one table's copy is. */
    private static final class TableProgress {
        int rangesLeft;
        boolean started;
        /** The source block of the table's last "true" row: the next one in the same millisecond shares it. */
        dev.pgoutput.api.Source lastSource;
        /** The last row of a range that ended, held until it is known whether it is the table's last. */
        TupleData tail;
    }

    /** A finished table's last row, held until it is known whether it is the snapshot's last. */
    private record TableEnd(RelationInfo table, TableProgress progress, TupleData row) {
    }

    /** Tables whose last row was enqueued, as the item number of that row and the table's name. */
    private final java.util.concurrent.ConcurrentLinkedQueue<java.util.Map.Entry<Long, String>> copied =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    // Guarded by lock.
    private final Map<RelationInfo, TableProgress> tables = new HashMap<>();
    private int totalRangesLeft;
    private boolean anyDelivered;
    private TableEnd pendingEnd;
    private long rows;
    private long lastItem;
    private long estimatedRows;
    private Long xmin;
    private String sequence;
    private long consistentPoint;

    SnapshotDelivery(SourceFactory sources, DeliveryQueue queue, AcknowledgementTracker tracker,
                     DeliveryQueue.Waiting waiting, SnapshotProgress progress) {
        this.figures = progress;
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
            sequence = SourceFactory.snapshotSequence(point);
            consistentPoint = point;
            figures.started("initial", tables.size() + " table(s)", estimatedRows);
        }
    }

    /** Rows delivered so far. */
    long rows() {
        synchronized (lock) {
            return rows;
        }
    }

    /**
     * The tables whose every row was enqueued, each with the tracker's number of its last row, oldest
     * first; the engine takes them off as the application acknowledges them.
     */
    java.util.Queue<java.util.Map.Entry<Long, String>> copiedTables() {
        return copied;
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
                    deliverLocked(range.table(), progress, held, false, false);
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
                    if (progress.tail != null) {
                        deliverLocked(range.table(), progress, progress.tail, false, false);
                    }
                    progress.tail = held;
                    held = null;
                }
                if (left == 0 && progress.tail != null) {
                    flushPendingEnd();
                    pendingEnd = new TableEnd(range.table(), progress, progress.tail);
                    progress.tail = null;
                }
                if (totalRangesLeft == 0 && pendingEnd != null) {
                    TableEnd end = pendingEnd;
                    pendingEnd = null;
                    deliverLocked(end.table(), end.progress(), end.row(), true, true);
                }
            }
        }
    }

    /** A finished table's last row goes out once another row does: then it is not the snapshot's last. */
    private void flushPendingEnd() {
        if (pendingEnd != null) {
            TableEnd end = pendingEnd;
            pendingEnd = null;
            deliverLocked(end.table(), end.progress(), end.row(), true, false);
        }
    }

    private void deliverLocked(RelationInfo table, TableProgress progress, TupleData tuple, boolean lastOfTable,
                               boolean lastOfAll) {
        flushPendingEnd();
        String marker;
        boolean firstOfTable = !progress.started;
        progress.started = true;
        if (lastOfAll) {
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
        dev.pgoutput.api.Source source = progress.lastSource;
        if (source == null || source.tsMs() != now || !marker.equals("true")) {
            source = sources.snapshot(table.schema(), table.table(), xmin, consistentPoint, sequence, marker, now);
            progress.lastSource = marker.equals("true") ? source : null;
        }
        ChangeEvent event = InitialSnapshot.event(table, source, tuple);
        lastItem = tracker.onEnqueued();
        queue.putEvent(event, tuple.buffer().length, waiting);
        if (lastOfTable) {
            copied.add(java.util.Map.entry(lastItem, table.schema() + "." + table.table()));
        }
        figures.rows(++rows);
    }
}
