package dev.pgoutput.bench.e2e;

/**
 * One contender's drain of one workload.
 *
 * @param workload      the workload
 * @param contender     who drained it
 * @param events        change events delivered
 * @param seconds       from the first event to the last
 * @param firstSeconds  from the start of streaming (connect) to the first event
 * @param cpuSeconds    the consumer's CPU time over {@code seconds} (pg_recvlogical: its whole life)
 * @param peakHeapBytes largest used heap sampled (-1 for a process without a Java heap)
 * @param peakRssBytes  peak resident set of the whole process
 * @param skipped       why the contender did not run, or null
 * @param serverCpuSeconds the walsender's CPU time over its whole life (NaN when unknown)
 */
record Result(Workload workload, String contender, long events, double seconds, double firstSeconds, double cpuSeconds,
              long peakHeapBytes, long peakRssBytes, String skipped, double serverCpuSeconds) {

    Result(Workload workload, String contender, long events, double seconds, double firstSeconds, double cpuSeconds,
           long peakHeapBytes, long peakRssBytes, String skipped) {
        this(workload, contender, events, seconds, firstSeconds, cpuSeconds, peakHeapBytes, peakRssBytes, skipped,
                Double.NaN);
    }

    static Result skipped(Workload workload, String contender, String why) {
        return new Result(workload, contender, 0, Double.NaN, Double.NaN, Double.NaN, -1, -1, why);
    }

    Result withServerCpu(double seconds) {
        return new Result(workload, contender, events, this.seconds, firstSeconds, cpuSeconds, peakHeapBytes,
                peakRssBytes, skipped, seconds);
    }

    /** The walsender's CPU per event in microseconds. */
    double serverCpuMicrosPerEvent() {
        return serverCpuSeconds * 1e6 / events;
    }

    boolean ran() {
        return skipped == null;
    }

    double eventsPerSecond() {
        return events / seconds;
    }

    /** Consumer CPU per event in microseconds. */
    double cpuMicrosPerEvent() {
        return cpuSeconds * 1e6 / events;
    }
}
