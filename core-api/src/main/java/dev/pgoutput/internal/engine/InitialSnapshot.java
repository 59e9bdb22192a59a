package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.SnapshotSummary;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.spi.PublishedTable;
import dev.pgoutput.spi.SnapshotSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initial snapshot: every published table copied under the slot's exported snapshot, by as many
 * sessions as {@code snapshotParallelism}, all of which imported that one snapshot (so no range shows a
 * row newer than another range does), and delivered as {@link Op#READ} events through the reader's
 * delivery queue, with its bounds and acknowledgement. Large tables are split into ranges of pages
 * (CTID ranges, PostgreSQL 14+) so that several sessions share them. The stream starts, from the slot's
 * consistent point, once the copy is done.
 */
final class InitialSnapshot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InitialSnapshot.class);
    /** Rows per CTID range: large enough that a range is not mostly start-up, small enough to share. */
    private static final long ROWS_PER_RANGE = 250_000;

    private final List<SnapshotSession> sessions;
    private final String slot;
    private final long consistentPoint;
    private final RelationCache relations;
    private final List<String> publications;
    private final boolean pageRanges;
    /** Copy in binary where the columns' types allow: the reader asked for binary tuples. */
    private final boolean binary;
    private final SnapshotDelivery delivery;
    private final SnapshotProgress progress;
    /** A connection beside the copy's, for the slot's retained WAL in the progress log. */
    private final java.util.function.Supplier<dev.pgoutput.spi.ChunkSession> admin;
    private long lastLogNanos = System.nanoTime();
    private final CompletableFuture<SnapshotSummary> done = new CompletableFuture<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closing;

    /** One piece of work: a table, or a range of its pages. */
    record Range(RelationInfo table, PublishedTable published, long fromPage, long toPage) {
    }

    /**
     * @param sessions   one per worker, each inside the imported snapshot
     * @param pageRanges whether tables may be split by CTID ranges (PostgreSQL 14+)
     */
    InitialSnapshot(List<SnapshotSession> sessions, String slot, long consistentPoint, RelationCache relations,
                    List<String> publications, boolean pageRanges, boolean binary, SnapshotDelivery delivery,
                    SnapshotProgress progress, java.util.function.Supplier<dev.pgoutput.spi.ChunkSession> admin) {
        this.progress = progress;
        this.admin = admin;
        this.sessions = List.copyOf(sessions);
        this.slot = slot;
        this.consistentPoint = consistentPoint;
        this.relations = relations;
        this.publications = List.copyOf(publications);
        this.pageRanges = pageRanges;
        this.binary = binary;
        this.delivery = delivery;
    }

    /** Plans the copy and starts the workers; returns at once. */
    void start() {
        long started = System.nanoTime();
        SnapshotSession first = sessions.get(0);
        long xmin = first.snapshotXmin();
        List<Range> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (PublishedTable t : first.publishedTables(publications)) {
            RelationInfo info = relations.describe(new Relation(0, t.relationId(), t.schema(), t.table(),
                    t.replicaIdentity(), t.columns()));
            if (info.included()) {
                names.add(t.qualifiedName());
                ranges.addAll(plan(info, t));
            }
        }
        LOG.info("Initial snapshot of slot '{}' at {}: {} table(s) in {} range(s) on {} connection(s)", slot,
                Lsn.format(consistentPoint), names.size(), ranges.size(), sessions.size());
        delivery.begin(ranges, xmin, consistentPoint);
        ConcurrentLinkedQueue<Range> work = new ConcurrentLinkedQueue<>(ranges);
        AtomicInteger running = new AtomicInteger(sessions.size());
        for (int i = 0; i < sessions.size(); i++) {
            SnapshotSession session = sessions.get(i);
            Thread worker = new Thread(() -> copy(session, work, running, names, started),
                    "pgoutput-snapshot-" + slot + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /** A table's ranges: the whole table, or about {@link #ROWS_PER_RANGE} rows of pages each. */
    private List<Range> plan(RelationInfo info, PublishedTable t) {
        long count = t.estimatedRows() <= 0 ? 1 : (t.estimatedRows() + ROWS_PER_RANGE - 1) / ROWS_PER_RANGE;
        if (t.estimatedRows() > ROWS_PER_RANGE / 10) {
            count = Math.max(count, sessions.size());   // a big enough table keeps every session busy
        }
        count = Math.min(count, 4L * sessions.size());
        if (!pageRanges || t.partitioned() || t.pages() < 2 || count < 2) {
            return List.of(new Range(info, t, -1, -1));
        }
        count = Math.min(count, t.pages());
        List<Range> ranges = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            // Open at both ends: the page count is an estimate, and rows may sit beyond it.
            long from = i == 0 ? -1 : t.pages() * i / count;
            long to = i == count - 1 ? -1 : t.pages() * (i + 1) / count;
            ranges.add(new Range(info, t, from, to));
        }
        return ranges;
    }

    private void copy(SnapshotSession session, ConcurrentLinkedQueue<Range> work, AtomicInteger running,
                      List<String> names, long started) {
        try {
            Range range;
            while (!closing && (range = work.poll()) != null) {
                SnapshotDelivery.Worker out = delivery.worker(range);
                int columns = range.published().columns().size();
                if (binary && convertsBinary(range.table())) {
                    CopyBinaryRows rows = new CopyBinaryRows(columns);
                    session.copy(range.published(), range.fromPage(), range.toPage(), true,
                            message -> rows.read(message, out::row));
                    if (!rows.ended()) {
                        throw new PgOutputException("the binary COPY of " + range.published().qualifiedName()
                                + " ended without its end marker");
                    }
                } else {
                    session.copy(range.published(), range.fromPage(), range.toPage(), false,
                            line -> out.row(CopyTextRow.parse(line, columns)));
                }
                out.rangeDone();
            }
            if (running.decrementAndGet() == 0) {
                if (closing) {
                    done.completeExceptionally(stopped());
                } else {
                    progress.finished();
                    done.complete(new SnapshotSummary(names, delivery.rows(), Duration.ofNanos(System.nanoTime() - started)));
                }
            }
        } catch (DeliveryQueue.StopSignal e) {
            closing = true;
            done.completeExceptionally(stopped());
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            closing = true;   // the others stop at their next range
        } finally {
            session.close();
        }
    }

    private PgOutputException stopped() {
        return new PgOutputException("the initial snapshot of slot '" + slot + "' was stopped before it finished");
    }

    /**
     * Waits for the copy, running {@code meanwhile} every 100 ms.
     *
     * @throws PgOutputException when a session failed or the reader stopped
     */
    SnapshotSummary await(Runnable meanwhile) {
        try {
            while (true) {
                try {
                    return done.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    meanwhile.run();
                    logProgress();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgOutputException("interrupted while waiting for the initial snapshot", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof PgOutputException p ? p
                    : new PgOutputException("the initial snapshot of slot '" + slot + "' failed: " + cause, cause);
        }
    }

    /** At most every 10 s: how far the copy is, and how much WAL the slot holds back meanwhile. */
    private void logProgress() {
        long now = System.nanoTime();
        if (now - lastLogNanos < java.util.concurrent.TimeUnit.SECONDS.toNanos(10)) {
            return;
        }
        lastLogNanos = now;
        try (dev.pgoutput.spi.ChunkSession session = admin.get()) {
            progress.retainedWal(session.retainedWal(slot));
        } catch (RuntimeException e) {
            progress.retainedWal(-1);
        }
        SnapshotProgress.Figures figures = progress.current();
        if (figures != null) {
            LOG.info("Initial snapshot of slot '{}': {}", slot, figures.describe());
        }
    }

    /** The tables whose every row was enqueued, with the number of each one's last row. */
    java.util.Queue<java.util.Map.Entry<Long, String>> copiedTables() {
        return delivery.copiedTables();
    }

    /** The number of the last item the copy enqueued; every row is acknowledged once this one is. */
    long lastItem() {
        return delivery.lastItem();
    }

    @Override
    public void close() {
        closing = true;
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (workers.isEmpty()) {
            sessions.forEach(SnapshotSession::close);
        }
    }

    /** Whether every column's values read the same in binary as in text (else the table is copied as text). */
    private static boolean convertsBinary(RelationInfo table) {
        for (dev.pgoutput.api.ColumnDescriptor c : table.columns()) {
            if (c.valueType() == null || !c.valueType().convertsBinary()) {
                return false;
            }
        }
        return true;
    }

    /** A READ event of a table's row. */
    static ChangeEvent event(RelationInfo table, dev.pgoutput.api.Source source, dev.pgoutput.protocol.TupleData tuple) {
        return new ChangeEvent(Op.READ, null, table.rows().row(tuple, null, false), source, SourceFactory.nowNanos(),
                null, null, null);
    }
}
