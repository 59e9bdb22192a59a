package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.SnapshotSummary;
import dev.pgoutput.spi.ChunkSession;
import dev.pgoutput.spi.PublishedTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental snapshots (DBLog) while the stream goes on: requests queue and are served one table at a
 * time, chunk by chunk, on a worker thread with a connection of its own. For each chunk the worker writes
 * a low watermark, reads the chunk in key order after the last one, and writes a high watermark; the
 * engine thread's {@link WatermarkWindow} delivers it. Progress is recorded in the {@link SnapshotState}
 * only as far as the application acknowledged the rows, so a restarted reader continues from the last
 * acknowledged chunk.
 */
final class IncrementalSnapshot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalSnapshot.class);
    static final int FIRST_CHUNK = 1024;
    static final int MIN_CHUNK = 128;
    static final int MAX_CHUNK = 65_536;
    /** A chunk should take about this long to read: long enough to be efficient, short enough for a window. */
    private static final long TARGET_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Chunk rows wait in memory until their high watermark: do not grow past this. */
    private static final long MAX_CHUNK_BYTES = 32L << 20;
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** One call of {@code snapshotTables}, or what a restart found owed. */
    private record Request(List<SnapshotState.Pending> tables, CompletableFuture<SnapshotSummary> done,
                           boolean resumed) {
    }

    /** A delivered chunk whose progress is recorded once its rows are acknowledged. */
    private record Settlement(long item, String table, List<String> lastKey, boolean tableDone) {
    }

    private final String slot;
    private final List<String> publications;
    private final Set<String> includedTables;
    private final Supplier<ChunkSession> sessions;
    private final WatermarkWindow window;
    private final SnapshotState state;
    private final AcknowledgementTracker tracker;
    private final BooleanSupplier readerEnded;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Settlement> settlements = new ConcurrentLinkedQueue<>();
    private final SnapshotProgress progress;
    private Thread worker;
    private volatile boolean closing;
    private long nextChunk;

    IncrementalSnapshot(String slot, List<String> publications, Set<String> includedTables,
                        Supplier<ChunkSession> sessions, WatermarkWindow window, SnapshotState state,
                        AcknowledgementTracker tracker, BooleanSupplier readerEnded, SnapshotProgress progress) {
        this.slot = slot;
        this.publications = List.copyOf(publications);
        this.includedTables = includedTables;
        this.sessions = sessions;
        this.window = window;
        this.state = state;
        this.tracker = tracker;
        this.readerEnded = readerEnded;
        this.progress = progress;
    }

    /**
     * Queues an incremental snapshot of {@code tables} (qualified names), recorded at once so that a
     * restart still owes it; the stage completes once the rows of its last chunk were delivered.
     */
    CompletionStage<SnapshotSummary> request(List<String> tables) {
        CompletableFuture<SnapshotSummary> done = new CompletableFuture<>();
        if (tables.isEmpty()) {
            done.completeExceptionally(new IllegalArgumentException("snapshotTables needs at least one table"));
            return done;
        }
        List<SnapshotState.Pending> pending = new ArrayList<>();
        for (String t : tables) {
            pending.add(new SnapshotState.Pending(t, null));
        }
        state.requested(slot, tables);
        enqueue(new Request(pending, done, false));
        return done;
    }

    /** Serves what the state file says a restart owes, first of all. */
    void resume(List<SnapshotState.Pending> owed) {
        if (owed.isEmpty()) {
            return;
        }
        CompletableFuture<SnapshotSummary> done = new CompletableFuture<>();
        done.whenComplete((summary, failure) -> {
            if (failure == null) {
                LOG.info("Owed incremental snapshot of {} finished: {} rows", summary.tables(), summary.rows());
            }
        });
        LOG.info("Resuming the incremental snapshot owed to slot '{}' (from {}): {}", slot, state.file(),
                owed.stream().map(SnapshotState.Pending::table).toList());
        enqueue(new Request(List.copyOf(owed), done, true));
    }

    private synchronized void enqueue(Request request) {
        if (closing) {
            request.done().completeExceptionally(new PgOutputException("the reader is closed"));
            return;
        }
        requests.add(request);
        if (worker == null) {
            worker = new Thread(this::serve, "pgoutput-incremental-" + slot);
            worker.setDaemon(true);
            worker.start();
        }
    }

    /**
     * Records the progress of chunks whose rows the application acknowledged; on the engine thread, often
     * (cheap when there is nothing to record).
     */
    void settle() {
        Settlement s;
        while ((s = settlements.peek()) != null && tracker.acknowledgedThrough(s.item())) {
            settlements.poll();
            if (s.tableDone()) {
                state.tableDone(s.table());
            } else if (s.lastKey() != null) {
                state.chunkAcknowledged(s.table(), s.lastKey());
            }
        }
    }

    // ---------------------------------------------------------------- worker thread

    private void serve() {
        ChunkSession session = null;
        try {
            while (!closing) {
                Request request = requests.poll(WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS);
                if (request == null) {
                    if (readerEnded.getAsBoolean()) {
                        return;
                    }
                    continue;
                }
                if (session == null) {
                    session = sessions.get();
                }
                serve(session, request);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Incremental snapshots of slot '{}' stopped: {}", slot, e.toString());
        } finally {
            if (session != null) {
                session.close();
            }
            failQueued(new PgOutputException("the reader ended before the incremental snapshot finished"));
        }
    }

    private void serve(ChunkSession session, Request request) throws InterruptedException {
        long started = System.nanoTime();
        List<IncrementalTable> tables;
        try {
            tables = resolve(session, request.tables());
        } catch (RuntimeException e) {
            request.tables().forEach(t -> state.tableDone(t.table()));
            request.done().completeExceptionally(e);
            if (request.resumed()) {
                LOG.error("The incremental snapshot owed to slot '{}' cannot go on: {}", slot, e.getMessage());
            }
            return;
        }
        long rows = 0;
        try {
            for (int i = 0; i < tables.size(); i++) {
                rows += copy(session, tables.get(i), request.tables().get(i).after());
            }
        } catch (RuntimeException e) {
            // What is not done stays owed in the state file: a restart goes on from the last acknowledged chunk.
            request.done().completeExceptionally(e);
            progress.finished();
            if (!closing && !readerEnded.getAsBoolean()) {
                LOG.error("The incremental snapshot of {} failed: {}", request.tables().stream()
                        .map(SnapshotState.Pending::table).toList(), e.toString());
            }
            return;
        }
        List<String> names = tables.stream().map(IncrementalTable::name).toList();
        request.done().complete(new SnapshotSummary(names, rows, Duration.ofNanos(System.nanoTime() - started)));
    }

    /**
     * The requested tables as published, each checked: published, not left out by {@code tables(...)},
     * with a key whose columns are published. Any that fails fails the request before any chunk.
     */
    private List<IncrementalTable> resolve(ChunkSession session, List<SnapshotState.Pending> wanted) {
        List<PublishedTable> published = session.publishedTables(publications);
        List<IncrementalTable> tables = new ArrayList<>();
        for (SnapshotState.Pending p : wanted) {
            tables.add(resolve(session, published, p.table()));
        }
        return tables;
    }

    private IncrementalTable resolve(ChunkSession session, List<PublishedTable> published, String name) {
        PublishedTable table = published.stream().filter(t -> t.qualifiedName().equals(name)).findFirst()
                .orElseThrow(() -> refused("table " + name + " is not published by " + publications
                        + " (a qualified name such as public.users, as the publication lists it)",
                        "ALTER PUBLICATION " + publications.get(0) + " ADD TABLE " + name));
        if (!includedTables.isEmpty() && !includedTables.contains(name)) {
            throw refused("table " + name + " is left out by this reader's tables(...)", "add it to tables(...)");
        }
        List<String> keys = session.keyColumns(table);
        if (keys.isEmpty()) {
            throw refused("table " + name + " has no primary key or replica identity index, so an incremental "
                    + "snapshot cannot tell which of its rows the stream changed meanwhile",
                    "ALTER TABLE " + name + " ADD PRIMARY KEY (…), or use an initial snapshot for it");
        }
        int[] indexes = new int[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            indexes[k] = -1;
            for (int c = 0; c < table.columns().size(); c++) {
                if (table.columns().get(c).name().equals(keys.get(k))) {
                    indexes[k] = c;
                }
            }
            if (indexes[k] < 0) {
                throw refused("key column " + keys.get(k) + " of table " + name
                        + " is not in the publication's column list", "add it to the publication's column list");
            }
        }
        return new IncrementalTable(table, keys, indexes);
    }

    private static ReplicationSetupException refused(String problem, String remedy) {
        return new ReplicationSetupException(ReplicationSetupException.Problem.SNAPSHOT,
                "incremental snapshot refused: " + problem, remedy, null);
    }

    /** Copies one table chunk by chunk, from after {@code after}; returns the rows delivered. */
    private long copy(ChunkSession session, IncrementalTable table, List<String> after) throws InterruptedException {
        int size = FIRST_CHUNK;
        long delivered = 0;
        long read = 0;
        long began = System.nanoTime();
        long lastLog = began;
        progress.started("incremental", table.name(), table.published().estimatedRows());
        LOG.info("Incremental snapshot of {} (slot '{}', key {}){}", table.name(), slot, table.keyColumns(),
                after == null ? "" : ", resuming after " + after);
        while (true) {
            IncrementalChunk chunk = new IncrementalChunk(nextChunk++, table, after);
            long readNanos;
            window.expect(chunk);
            try {
                session.emitWatermark(WatermarkWindow.PREFIX, window.watermark(chunk.number(), true));
                long t0 = System.nanoTime();
                int columns = table.published().columns().size();
                session.copyChunk(table.published(), table.keyColumns(), after, size,
                        line -> chunk.add(CopyTextRow.parse(line, columns)));
                readNanos = System.nanoTime() - t0;
                chunk.ready();
                session.emitWatermark(WatermarkWindow.PREFIX, window.watermark(chunk.number(), false));
            } catch (RuntimeException e) {
                chunk.fail();
                window.forget(chunk);
                throw e;
            }
            IncrementalChunk.Outcome outcome = awaitEngine(chunk);
            if (outcome.restart()) {
                table = resolve(session, session.publishedTables(publications), table.name());
                continue;
            }
            int rows = chunk.rows().size();
            read += rows;
            delivered += outcome.rowsDelivered();
            boolean last = rows < size;
            settlements.add(new Settlement(outcome.lastItem(), table.name(), chunk.lastKey(), last));
            if (last) {
                progress.finished();
                LOG.info("Incremental snapshot of {} done: {} rows delivered in {} ms", table.name(), delivered,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                return delivered;
            }
            after = chunk.lastKey();
            size = nextSize(size, readNanos, chunk.bytes());
            progress.rows(read);
            long now = System.nanoTime();
            if (now - lastLog >= PROGRESS_NANOS) {
                lastLog = now;
                progress.retainedWal(session.retainedWal(slot));
                LOG.info("Incremental snapshot of {}: {}", table.name(), progress.current().describe());
            }
        }
    }

    /** Adapts the chunk size so a chunk takes about {@link #TARGET_NANOS} and does not hold too much. */
    static int nextSize(int size, long readNanos, long bytes) {
        if (readNanos > 2 * TARGET_NANOS || bytes > MAX_CHUNK_BYTES) {
            return Math.max(MIN_CHUNK, size / 2);
        }
        if (readNanos < TARGET_NANOS / 4 && bytes < MAX_CHUNK_BYTES / 2) {
            return Math.min(MAX_CHUNK, size * 2);
        }
        return size;
    }

    private IncrementalChunk.Outcome awaitEngine(IncrementalChunk chunk) throws InterruptedException {
        while (true) {
            IncrementalChunk.Outcome outcome = chunk.awaitHandled(WAIT_SLICE_NANOS);
            if (outcome != null) {
                return outcome;
            }
            if (closing || readerEnded.getAsBoolean()) {
                chunk.fail();
                window.forget(chunk);
                throw new PgOutputException("the reader ended before the incremental snapshot of "
                        + chunk.table().name() + " finished");
            }
        }
    }

    private void failQueued(PgOutputException why) {
        Request r;
        while ((r = requests.poll()) != null) {
            r.done().completeExceptionally(why);
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closing = true;
            t = worker;
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failQueued(new PgOutputException("the reader is closed"));
    }
}
