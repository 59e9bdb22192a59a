package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.SnapshotSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental snapshots (DBLog) while the stream goes on: requests queue and are served one table at a
 * time, chunk by chunk, on a worker thread ({@link ChunkReader} reads each chunk between its watermarks;
 * the engine thread's {@link WatermarkWindow} delivers it). Progress is recorded in the
 * {@link SnapshotState} only as far as the application acknowledged the rows, so a restarted reader
 * continues from the last acknowledged chunk. A failed connection is opened again and the chunk read
 * again, a few times; a table that cannot be snapshotted is refused by name.
 */
final class IncrementalSnapshot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalSnapshot.class);
    static final int FIRST_CHUNK = 1024;
    static final int MIN_CHUNK = 128;
    static final int MAX_CHUNK = 65_536;
    /** A chunk should take about this long to read: long enough to be efficient, short enough for a window. */
    private static final long TARGET_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int ATTEMPTS = 5;

    /** One call of {@code snapshotTables}, or what a restart found owed. */
    private record Request(List<SnapshotState.Pending> tables, CompletableFuture<SnapshotSummary> done,
                           boolean resumed) {
        List<String> names() {
            return tables.stream().map(SnapshotState.Pending::table).toList();
        }
    }

    /** A delivered chunk whose progress is recorded once its rows are acknowledged. */
    private record Settlement(long item, String table, List<String> lastKey, boolean tableDone) {
    }

    private final String slot;
    private final ChunkReader reader;
    private final SnapshotState state;
    private final AcknowledgementTracker tracker;
    private final BooleanSupplier readerEnded;
    /** Ends the reader: an owed snapshot that cannot be finished must not leave it streaming. */
    private final Consumer<Throwable> failReader;
    private final SnapshotProgress progress;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Settlement> settlements = new ConcurrentLinkedQueue<>();
    /** The requests queued or running, by table: one per table at a time. Guarded by this. */
    private final Map<String, Request> owedBy = new HashMap<>();
    private Thread worker;
    private volatile boolean closing;
    private long nextChunk;

    IncrementalSnapshot(String slot, ChunkReader reader, SnapshotState state, AcknowledgementTracker tracker,
                        BooleanSupplier readerEnded, Consumer<Throwable> failReader, SnapshotProgress progress) {
        this.slot = slot;
        this.reader = reader;
        this.state = state;
        this.tracker = tracker;
        this.readerEnded = readerEnded;
        this.failReader = failReader;
        this.progress = progress;
    }

    /**
     * Queues an incremental snapshot of {@code tables} (qualified names), recorded at once so that a
     * restart still owes it; the stage completes once the rows of its last chunk were delivered. Asking
     * again for exactly the tables of a request queued or running (one resumed at start, say) gives that
     * request's stage; a table in another request is refused.
     */
    synchronized CompletionStage<SnapshotSummary> request(List<String> tables) {
        if (tables.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("snapshotTables needs a table"));
        }
        Request running = owedBy.get(tables.get(0));
        if (running != null && running.names().equals(tables)) {
            return running.done();
        }
        for (String t : tables) {
            if (owedBy.containsKey(t)) {
                return CompletableFuture.failedFuture(ChunkReader.refused("table " + t
                        + " is already in an incremental snapshot queued or running: " + owedBy.get(t).names(),
                        "wait for that one, or ask for exactly its tables to get its stage"));
            }
        }
        List<SnapshotState.Pending> pending = new ArrayList<>();
        for (String t : tables) {
            pending.add(new SnapshotState.Pending(t, null));
        }
        state.requested(slot, tables);
        return enqueue(new Request(pending, new CompletableFuture<>(), false));
    }

    /** Serves what the state file says a restart owes, first of all. */
    synchronized void resume(List<SnapshotState.Pending> owed) {
        if (owed.isEmpty()) {
            return;
        }
        LOG.info("Resuming the incremental snapshot owed to slot '{}' (from {}): {}", slot, state.file(),
                owed.stream().map(SnapshotState.Pending::table).toList());
        enqueue(new Request(List.copyOf(owed), new CompletableFuture<>(), true)).whenComplete((summary, failure) -> {
            if (failure == null) {
                LOG.info("Owed incremental snapshot of {} finished: {} rows", summary.tables(), summary.rows());
            }
        });
    }

    private synchronized CompletableFuture<SnapshotSummary> enqueue(Request request) {
        if (closing) {
            request.done().completeExceptionally(new PgOutputException("the reader is closed"));
            return request.done();
        }
        request.names().forEach(t -> owedBy.put(t, request));
        requests.add(request);
        if (worker == null || !worker.isAlive()) {
            worker = new Thread(this::serve, "pgoutput-incremental-" + slot);
            worker.setDaemon(true);
            worker.start();
        }
        return request.done();
    }

    private synchronized void finished(Request request) {
        request.names().forEach(t -> owedBy.remove(t, request));
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
        try {
            while (!closing) {
                Request request = requests.poll(WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS);
                if (request == null) {
                    if (readerEnded.getAsBoolean()) {
                        return;
                    }
                    continue;
                }
                try {
                    serve(request);
                } catch (Throwable t) {
                    request.done().completeExceptionally(t);
                    throw t;
                } finally {
                    finished(request);
                    progress.finished();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("Incremental snapshots of slot '{}' stopped: {}", slot, t.toString());
        } finally {
            reader.close();
            failQueued(new PgOutputException("the reader ended before the incremental snapshot finished"));
        }
    }

    private void serve(Request request) {
        long started = System.nanoTime();
        List<String> names = request.names();
        long rows = 0;
        try {
            List<IncrementalTable> tables = new ArrayList<>();
            for (String name : names) {
                tables.add(resolve(request, name));
            }
            for (int i = 0; i < tables.size(); i++) {
                rows += copy(tables.get(i), request.tables().get(i).after());
            }
        } catch (ReplicationSetupException refused) {
            // Permanent: nothing of this request will be copied, so nothing of it is owed.
            names.forEach(state::tableDone);
            request.done().completeExceptionally(refused);
            if (request.resumed()) {
                failReader.accept(new PgOutputException("the incremental snapshot owed to slot '" + slot + "' (from "
                        + state.file() + ") cannot be finished: " + refused.getMessage(), refused));
            }
            return;
        } catch (RuntimeException e) {
            // What is not done stays owed in the state file: a restart goes on from the last acknowledged chunk.
            request.done().completeExceptionally(e);
            if (!closing && !readerEnded.getAsBoolean()) {
                LOG.error("The incremental snapshot of {} failed: {}", names, e.toString());
                if (request.resumed()) {
                    failReader.accept(e);
                }
            }
            return;
        }
        request.done().complete(new SnapshotSummary(names, rows, Duration.ofNanos(System.nanoTime() - started)));
    }

    private IncrementalTable resolve(Request request, String name) {
        return retrying("reading the catalog for " + name, () -> reader.resolve(name));
    }

    /** Copies one table chunk by chunk, from after {@code after}; returns the rows delivered. */
    private long copy(IncrementalTable first, List<String> from) {
        IncrementalTable table = first;
        List<String> after = from;
        int size = FIRST_CHUNK;
        long delivered = 0;
        long read = 0;
        long began = System.nanoTime();
        long lastLog = began;
        progress.started("incremental", table.name(), table.published().estimatedRows());
        LOG.info("Incremental snapshot of {} (slot '{}', key {}){}", table.name(), slot, table.keyColumns(),
                after == null ? "" : ", resuming after " + after);
        while (true) {
            IncrementalTable current = table;
            List<String> bound = after;
            int limit = size;
            IncrementalChunk chunk = retrying("reading a chunk of " + table.name(),
                    () -> reader.read(nextChunk++, current, bound, limit));
            IncrementalChunk.Outcome outcome = awaitEngine(chunk);
            if (outcome.restart()) {
                table = resolve(null, table.name());
                continue;
            }
            int rows = chunk.rows().size();
            read += rows;
            delivered += outcome.rowsDelivered();
            boolean last = rows < size && !chunk.wasCutShort();
            settlements.add(new Settlement(outcome.lastItem(), table.name(), chunk.lastKey(), last));
            progress.rows(read);
            if (last) {
                LOG.info("Incremental snapshot of {} done: {} rows delivered in {} ms", table.name(), delivered,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                return delivered;
            }
            after = chunk.lastKey();
            size = nextSize(size, chunk.readNanos(), chunk.bytes(), chunk.wasCutShort());
            long now = System.nanoTime();
            if (now - lastLog >= PROGRESS_NANOS) {
                lastLog = now;
                progress.retainedWal(reader.retainedWal(slot));
                SnapshotProgress.Figures figures = progress.current();
                if (figures != null) {
                    LOG.info("Incremental snapshot of {}: {}", table.name(), figures.describe());
                }
            }
        }
    }

    /**
     * Runs {@code step}, opening the connection again and retrying after a failure that is not a refusal,
     * a few times with a growing pause.
     */
    private <T> T retrying(String what, java.util.function.Supplier<T> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (ReplicationSetupException refused) {
                throw refused;
            } catch (RuntimeException e) {
                reader.reset();
                if (attempt == ATTEMPTS || closing || readerEnded.getAsBoolean()) {
                    throw e;
                }
                LOG.warn("Incremental snapshot of slot '{}': {} failed ({}); attempt {} of {} in {} s", slot, what,
                        e.getMessage(), attempt + 1, ATTEMPTS, attempt);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(attempt);
                while (System.nanoTime() < until && !closing) {
                    LockSupport.parkNanos(WAIT_SLICE_NANOS);
                }
            }
        }
    }

    /** Adapts the chunk size so a chunk takes about {@link #TARGET_NANOS} and does not hold too much. */
    static int nextSize(int size, long readNanos, long bytes, boolean cutShort) {
        if (cutShort || readNanos > 2 * TARGET_NANOS || bytes > ChunkReader.MAX_CHUNK_BYTES) {
            return Math.max(MIN_CHUNK, size / 2);
        }
        if (readNanos < TARGET_NANOS / 4 && bytes < ChunkReader.MAX_CHUNK_BYTES / 4) {
            return Math.min(MAX_CHUNK, size * 2);
        }
        return size;
    }

    private IncrementalChunk.Outcome awaitEngine(IncrementalChunk chunk) {
        while (true) {
            IncrementalChunk.Outcome outcome;
            try {
                outcome = chunk.awaitHandled(WAIT_SLICE_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = null;
                closing = true;
            }
            if (outcome != null) {
                return outcome;
            }
            if (closing || readerEnded.getAsBoolean()) {
                throw new PgOutputException("the reader ended before the incremental snapshot of "
                        + chunk.table().name() + " finished");
            }
        }
    }

    private void failQueued(PgOutputException why) {
        Request r;
        while ((r = requests.poll()) != null) {
            r.done().completeExceptionally(why);
            finished(r);
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
