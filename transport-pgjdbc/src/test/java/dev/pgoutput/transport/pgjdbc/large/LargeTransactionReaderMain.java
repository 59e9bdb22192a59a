package dev.pgoutput.transport.pgjdbc.large;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A reader in a JVM of its own (the test starts it with a small {@code -Xmx}): streams one large
 * transaction with {@code streaming(true)} and default memory settings, checks that every row id from 1
 * to N arrives exactly once, and prints one {@code RESULT} line with the peak heap and the peak size of
 * the spill directory, both sampled every 20 ms.
 *
 * <p>Arguments: host port database user password slot publication rows spillDirectory streaming(true|false)
 */
public final class LargeTransactionReaderMain {

    private LargeTransactionReaderMain() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[7]);
        Path spill = Path.of(args[8]);
        Runtime memory = Runtime.getRuntime();
        AtomicLong peakHeap = new AtomicLong();
        AtomicLong peakSpill = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.totalMemory() - memory.freeMemory(), Math::max);
                peakSpill.accumulateAndGet(directorySize(spill), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sampler");
        sampler.setDaemon(true);
        sampler.start();

        BitSet seen = new BitSet(rows + 1);
        int distinct = 0;   // BitSet.cardinality() walks the whole set: far too slow per event
        long duplicates = 0;
        long started = System.nanoTime();
        long firstEvent = 0;
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(args[0]).port(Integer.parseInt(args[1])).database(args[2])
                .user(args[3]).password(args[4]).slot(args[5]).publication(args[6])
                .streaming(Boolean.parseBoolean(args[9])).spillDirectory(spill)
                .build()) {
            System.out.println("READY");
            // args[10] "transactions": read through transactions(), and the rows must come as one transaction.
            java.util.Iterator<dev.pgoutput.api.Transaction> transactions = args.length > 10
                    && args[10].equals("transactions") ? reader.transactions().iterator() : null;
            java.util.Iterator<ChangeEvent> events = transactions == null ? null : transactions.next().events();
            while (distinct < rows) {
                ChangeEvent e;
                if (events != null) {
                    if (!events.hasNext()) {
                        System.out.println("TRANSACTION ENDED after " + distinct + " rows");
                        System.exit(3);
                    }
                    e = events.next();
                } else {
                    e = reader.poll(Duration.ofMinutes(5));
                }
                if (e == null) {
                    System.out.println("TIMEOUT after " + distinct + " rows");
                    System.exit(2);
                }
                if (firstEvent == 0) {
                    firstEvent = System.nanoTime();
                }
                int id = ((Number) e.after().get("id")).intValue();
                if (seen.get(id)) {
                    duplicates++;
                } else {
                    seen.set(id);
                    distinct++;
                }
            }
            if (events != null && events.hasNext()) {
                System.out.println("MORE EVENTS in the transaction after " + distinct + " rows");
                System.exit(4);
            }
        }
        long ended = System.nanoTime();
        long lastEventEpochMs = System.currentTimeMillis();
        sampler.interrupt();
        sampler.join();
        System.out.printf("RESULT rows=%d duplicates=%d peakHeapMiB=%.1f maxHeapMiB=%.1f peakSpillMiB=%.1f "
                        + "spillLeftMiB=%.1f secondsToFirstEvent=%.1f deliverySeconds=%.1f lastEventEpochMs=%d%n",
                seen.cardinality() - (seen.get(0) ? 1 : 0), duplicates, peakHeap.get() / 1048576.0,
                memory.maxMemory() / 1048576.0, peakSpill.get() / 1048576.0,
                directorySize(spill) / 1048576.0, (firstEvent - started) / 1e9, (ended - firstEvent) / 1e9, lastEventEpochMs);
    }

    private static long directorySize(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (java.io.IOException e) {
                    return 0;   // removed while listing
                }
            }).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
