package dev.pgoutput.bench.e2e;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.SnapshotMode;
import dev.pgoutput.json.JsonLinesWriter;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * This library as a contender, run by {@link EndToEndMain} in a child JVM: drains one slot until
 * {@code expected} change events arrived, then prints the same {@code RESULT} line as the Debezium runner
 * (times are this JVM's {@code nanoTime}, CPU its process CPU time: at the start of streaming, which is
 * just before {@code build()} connects, at the first event and at the last).
 * In {@code touch} mode every value of every event is materialised ({@code Row.value(i)} of every column
 * of {@code before} and {@code after}, each value hashed); in {@code json} mode every event is written as
 * compact Debezium JSON to a null stream.
 *
 * <p>With a twelfth argument, a parallelism, the reader makes an initial snapshot instead
 * ({@code createSlot(true)}, {@link SnapshotMode#INITIAL_ONLY}, {@code snapshotParallelism(n)}): the slot
 * must not exist, every event must be a {@link Op#READ}, and after the last row the iteration must end
 * (the reader drops the slot it made); {@code endedNs} says when it did.
 *
 * <p>Arguments: host port database user password slot publication expected decoder binary(true|false)
 * mode(touch|json) [snapshot parallelism].
 */
public final class LibraryDrainMain {

    private LibraryDrainMain() {
    }

    /**
     * Runs the drain.
     *
     * @param args host port database user password slot publication expected decoder binary mode [parallelism]
     */
    public static void main(String[] args) throws Exception {
        long expected = Long.parseLong(args[7]);
        boolean json = args[10].equals("json");
        int snapshotParallelism = args.length > 11 ? Integer.parseInt(args[11]) : 0;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        HeapSampler heap = HeapSampler.start();
        long progressEvery = Math.max(1, expected / 10);
        long events = 0;
        long firstNs = 0;
        long cpuFirst = 0;
        long sink = 0;
        // Compact Debezium JSON lines to a null stream: one generator for the whole stream, as a relay would.
        JsonLinesWriter out = new JsonLinesWriter(OutputStream.nullOutputStream());
        long startNs = System.nanoTime();
        long cpuAtStart = os.getProcessCpuTime();
        LogicalReplicationReader.Builder builder = LogicalReplicationReader.builder()
                .host(args[0]).port(Integer.parseInt(args[1])).database(args[2])
                .user(args[3]).password(args[4]).slot(args[5]).publication(args[6])
                .decoder(args[8]).binary(Boolean.parseBoolean(args[9]));
        if (snapshotParallelism > 0) {
            builder.createSlot(true).snapshot(SnapshotMode.INITIAL_ONLY).snapshotParallelism(snapshotParallelism);
        }
        try (LogicalReplicationReader reader = builder.build()) {
            while (events < expected) {
                ChangeEvent e = reader.poll(Duration.ofSeconds(60));
                if (e == null) {
                    System.out.println("FAILED events=" + events + " expected=" + expected + " (60 s without an event)");
                    System.exit(2);
                }
                if (events++ == 0) {
                    firstNs = System.nanoTime();
                    cpuFirst = os.getProcessCpuTime();
                }
                if (snapshotParallelism > 0 && e.op() != Op.READ) {
                    System.out.println("FAILED a snapshot delivered " + e.op() + " after " + events + " events");
                    System.exit(2);
                }
                if (json) {
                    out.write(e);
                } else {
                    sink += touch(e.before()) + touch(e.after()) + e.source().lsn();
                }
                if (events % progressEvery == 0) {
                    System.err.printf("%s: %,d of %,d events%n", args[5], events, expected);
                }
            }
            long lastNs = System.nanoTime();
            long cpuEnd = os.getProcessCpuTime();
            long endedNs = lastNs;
            if (snapshotParallelism > 0) {
                ChangeEvent more = reader.poll(Duration.ofSeconds(60));
                if (more != null || !reader.isEnded()) {
                    System.out.println("FAILED the snapshot did not end after " + events + " rows"
                            + (more == null ? "" : ": one more event, " + more.op()));
                    System.exit(2);
                }
                endedNs = System.nanoTime();
            }
            System.out.println("RESULT events=" + events + " startNs=" + startNs + " firstNs=" + firstNs
                    + " lastNs=" + lastNs + " cpuStartNs=" + cpuAtStart + " cpuFirstNs=" + cpuFirst
                    + " cpuEndNs=" + cpuEnd + " endedNs=" + endedNs + " peakHeap=" + heap.peak() + " sink=" + sink);
            System.out.flush();
        }
    }

    /** Reads every value of a row; the sum keeps the JIT from skipping the work. */
    private static long touch(Map<String, Object> row) {
        if (row == null) {
            return 0;
        }
        long h = 0;
        if (row instanceof Row r) {
            // By index, as a consumer that knows its columns reads them: no map entries on the way.
            for (int i = 0, n = r.size(); i < n; i++) {
                h = 31 * h + Objects.hashCode(r.value(i));
            }
        } else {
            for (Object value : row.values()) {
                h = 31 * h + Objects.hashCode(value);
            }
        }
        return h;
    }
}
