package dev.pgoutput.transport.pgjdbc.large;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.SnapshotMode;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader in a JVM of its own (the test starts it with a small {@code -Xmx}) that takes an
 * {@link SnapshotMode#INITIAL_ONLY} snapshot of a table {@code (id bigint, v int)} with ids from 1 to N,
 * acknowledging as it goes, and prints one {@code RESULT} line at the end rather than a line per row: the
 * READ rows, the distinct ids among them, the events that were not READs, the sums of ids and of
 * {@code v}, and the peak heap, sampled every 20 ms.
 *
 * <p>Arguments: host port database user password slot publication stateFile parallelism maxId
 */
public final class SnapshotCountReaderMain {

    /** Acknowledged every this many rows, as an application that commits its work in batches would. */
    private static final int ACKNOWLEDGE_EVERY = 10_000;

    private SnapshotCountReaderMain() {
    }

    public static void main(String[] args) {
        int maxId = Integer.parseInt(args[9]);
        Runtime memory = Runtime.getRuntime();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.totalMemory() - memory.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sampler");
        sampler.setDaemon(true);
        sampler.start();

        BitSet seen = new BitSet(maxId + 1);
        long reads = 0;
        long distinct = 0;
        long others = 0;
        long outOfRange = 0;
        long sumIds = 0;
        long sumV = 0;
        long started = System.nanoTime();
        long firstEvent = 0;
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(args[0]).port(Integer.parseInt(args[1])).database(args[2])
                .user(args[3]).password(args[4]).slot(args[5]).publication(args[6])
                .snapshot(SnapshotMode.INITIAL_ONLY).snapshotState(Path.of(args[7]))
                .snapshotParallelism(Integer.parseInt(args[8]))
                .autoAcknowledge(false)
                .build()) {
            for (ChangeEvent e : reader) {
                if (firstEvent == 0) {
                    firstEvent = System.nanoTime();
                }
                if (e.op() != Op.READ) {
                    others++;
                    continue;
                }
                reads++;
                long id = (Long) e.after().get("id");
                sumIds += id;
                sumV += (Integer) e.after().get("v");
                if (id < 1 || id > maxId) {
                    outOfRange++;
                } else if (!seen.get((int) id)) {
                    seen.set((int) id);
                    distinct++;
                }
                if (reads % ACKNOWLEDGE_EVERY == 0) {
                    reader.acknowledge();
                }
            }
            reader.acknowledge();
        } catch (Throwable e) {
            System.out.println("FAILED after " + reads + " rows: " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
        long ended = System.nanoTime();
        sampler.interrupt();
        System.out.printf("RESULT reads=%d distinct=%d others=%d outOfRange=%d sumIds=%d sumV=%d peakHeapMiB=%.1f "
                        + "maxHeapMiB=%.1f secondsToFirstEvent=%.1f copySeconds=%.1f%n", reads, distinct, others,
                outOfRange, sumIds, sumV, peakHeap.get() / 1048576.0, memory.maxMemory() / 1048576.0,
                (firstEvent - started) / 1e9, (ended - started) / 1e9);
    }
}
