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
    /** Whether rows come from a binary COPY, followed by their key columns as text. */
    private final boolean binary;
    private final List<TupleData> rows = new ArrayList<>();
    /** The last row as read (in binary with its key's text after the published columns), for the next bound. */
    private TupleData lastRead;
    private long readNanos;
    private boolean cutShort;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CompletableFuture<Outcome> handled = new CompletableFuture<>();
    private long bytes;
    private volatile boolean failed;

    /**
     * @param after the text of the key the chunk starts after, or null for the table's start
     */
    IncrementalChunk(long number, IncrementalTable table, List<String> after, boolean binary) {
        this.number = number;
        this.table = table;
        this.after = after;
        this.binary = binary;
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

    /** One row of the chunk, in key order (in binary, with its key as text after the published columns). */
    void add(TupleData row) {
        lastRead = row;
        rows.add(binary ? firstColumns(row, table.published().columns().size()) : row);
        bytes += row.buffer().length;
    }

    private static TupleData firstColumns(TupleData row, int n) {
        byte[] kinds = new byte[n];
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            kinds[i] = row.kind(i);
            offsets[i] = row.valueOffset(i);
            lengths[i] = row.valueLength(i);
        }
        return new TupleData(row.buffer(), kinds, offsets, lengths);
    }

    /** The read stopped before {@code limit} rows because the chunk holds enough bytes: more rows follow. */
    void cutShort() {
        cutShort = true;
    }

    boolean wasCutShort() {
        return cutShort;
    }

    /** The rows are all read, in {@code nanos}; nothing is added after this. */
    void ready(long nanos) {
        readNanos = nanos;
        ready.countDown();
    }

    long readNanos() {
        return readNanos;
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
        if (lastRead == null) {
            return null;
        }
        int published = table.published().columns().size();
        List<String> key = new ArrayList<>(table.keyIndexes().length);
        for (int k = 0; k < table.keyIndexes().length; k++) {
            key.add(lastRead.text(binary ? published + k : table.keyIndexes()[k]));
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
