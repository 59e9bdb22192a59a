package dev.pgoutput.bench.e2e;

/**
 * One contender's copy of the snapshot table ({@link SnapshotSection}).
 *
 * @param contender        who copied it
 * @param rows             rows delivered
 * @param seconds          from the first row to the last (psql: the COPY's own time, as its {@code \timing} says)
 * @param firstSeconds     from the start (connect, slot creation, catalog reads) to the first row; NaN for psql
 * @param cpuSeconds       the consumer's CPU time over {@code seconds} (psql: its whole life)
 * @param serverCpuSeconds every server process's CPU while the contender ran (NaN when unknown)
 * @param peakHeapBytes    largest used heap sampled (-1 for a process without a Java heap)
 * @param peakRssBytes     peak resident set of the whole process
 * @param skipped          why the contender did not run, or null
 */
record SnapshotResult(String contender, long rows, double seconds, double firstSeconds, double cpuSeconds,
                      double serverCpuSeconds, long peakHeapBytes, long peakRssBytes, String skipped) {

    static SnapshotResult skipped(String contender, String why) {
        return new SnapshotResult(contender, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, -1, why);
    }

    SnapshotResult withServerCpu(double seconds) {
        return new SnapshotResult(contender, rows, this.seconds, firstSeconds, cpuSeconds, seconds, peakHeapBytes,
                peakRssBytes, skipped);
    }

    boolean ran() {
        return skipped == null;
    }

    double rowsPerSecond() {
        return rows / seconds;
    }
}
