package dev.pgoutput.internal.engine;

import dev.pgoutput.protocol.TupleData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One chunk of an incremental snapshot, handed from the snapshot's worker to the engine thread: the
 * worker announces it, writes the low watermark, reads the rows, marks them {@linkplain #ready() ready}
 * and writes the high watermark; the engine, at the high watermark, delivers the rows that no change
 * between the watermarks touched and {@linkplain #handled says so}. Rows are ready before the high
 * watermark is written, so the engine never reaches it without them.
 */
final class IncrementalChunk {

    /** What the engine did with the chunk at its high watermark. */
    record Outcome(boolean restart, long rowsDelivered, long lastItem) {
    }

    private final long number;
    private final IncrementalTable table;
    private final List<String> after;
    private final List<TupleData> rows = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CompletableFuture<Outcome> handled = new CompletableFuture<>();
    private long bytes;
    private volatile boolean failed;

    /**
     * @param after the text of the key the chunk starts after, or null for the table's start
     */
    IncrementalChunk(long number, IncrementalTable table, List<String> after) {
        this.number = number;
        this.table = table;
        this.after = after;
    }

    long number() {
        return number;
    }

    IncrementalTable table() {
        return table;
    }

    List<String> after() {
        return after;
    }

    // ---------------------------------------------------------------- worker

    /** One row of the chunk, in key order. */
    void add(TupleData row) {
        rows.add(row);
        bytes += row.buffer().length;
    }

    /** The rows are all read; nothing is added after this. */
    void ready() {
        ready.countDown();
    }

    /** The worker gave up on the chunk: its high watermark will not come. */
    void fail() {
        failed = true;
        ready.countDown();
    }

    long bytes() {
        return bytes;
    }

    /** The text of the last row's key, where the next chunk starts; null when the chunk is empty. */
    List<String> lastKey() {
        if (rows.isEmpty()) {
            return null;
        }
        TupleData last = rows.get(rows.size() - 1);
        List<String> key = new ArrayList<>(table.keyIndexes().length);
        for (int i : table.keyIndexes()) {
            key.add(last.text(i));
        }
        return key;
    }

    /** Waits up to {@code nanos} for the engine; null on timeout. */
    Outcome awaitHandled(long nanos) throws InterruptedException {
        try {
            return handled.get(nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    // ---------------------------------------------------------------- engine

    boolean failed() {
        return failed;
    }

    /** Waits up to {@code nanos} for the rows; whether they are there (or the chunk failed). */
    boolean awaitReady(long nanos) throws InterruptedException {
        return ready.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The rows, once {@linkplain #awaitReady ready}. */
    List<TupleData> rows() {
        return rows;
    }

    void handled(Outcome outcome) {
        handled.complete(outcome);
    }
}
