package dev.pgoutput.internal.engine;

import java.time.Duration;

/**
 * The figures of the snapshot running now, in one place: written by the initial copy and by incremental
 * snapshots, read for the progress log and by whoever reports the reader's state.
 */
public final class SnapshotProgress {

    /**
     * One reading.
     *
     * @param kind             {@code initial} or {@code incremental}
     * @param table            the table being read (initial: the tables' count instead), or null
     * @param rowsDone         rows read so far
     * @param rowsEstimated    the estimate from {@code pg_class.reltuples} (0 when unknown)
     * @param rowsPerSecond    rows read per second since the start
     * @param age              how long the snapshot has run
     * @param retainedWalBytes WAL the slot holds back, or -1 when not known
     */
    public record Figures(String kind, String table, long rowsDone, long rowsEstimated, double rowsPerSecond, Duration age,
                   long retainedWalBytes) {

        /** The figures as the progress log says them. */
        public String describe() {
            return rowsDone + " of about " + rowsEstimated + " rows, " + Math.round(rowsPerSecond) + " rows/s, "
                    + age.toSeconds() + " s old" + (retainedWalBytes >= 0 ? ", slot retains " + retainedWalBytes
                    + " bytes of WAL" : "");
        }
    }

    private String kind;
    private String table;
    private long estimated;
    /** Written for every row by one thread at a time, read by any: volatile rather than locked. */
    private volatile long rows;
    private long retainedWal = -1;
    private long startedNanos;
    private boolean running;

    /** A snapshot (or its next table) starts. */
    synchronized void started(String snapshotKind, String tableName, long estimatedRows) {
        kind = snapshotKind;
        table = tableName;
        estimated = Math.max(0, estimatedRows);
        rows = 0;
        startedNanos = System.nanoTime();
        running = true;
    }

    void rows(long done) {
        rows = done;
    }

    synchronized void retainedWal(long bytes) {
        retainedWal = bytes;
    }

    synchronized void finished() {
        running = false;
    }

    /** The current figures, or null when no snapshot runs. */
    public synchronized Figures current() {
        if (!running) {
            return null;
        }
        long nanos = System.nanoTime() - startedNanos;
        return new Figures(kind, table, rows, estimated, rows / Math.max(nanos / 1e9, 1e-3), Duration.ofNanos(nanos),
                retainedWal);
    }
}
