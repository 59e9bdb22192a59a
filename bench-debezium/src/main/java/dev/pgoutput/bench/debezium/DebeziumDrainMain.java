package dev.pgoutput.bench.debezium;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.lang.management.ManagementFactory;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains one replication slot with the Debezium embedded engine (PostgreSQL connector, {@code pgoutput},
 * no snapshot unless asked for one (below), offsets in memory, Debezium's default JSON with schemas)
 * until {@code expected} change events arrived, counting each event's value, then prints one line for the
 * runner in bench:
 *
 * <pre>RESULT events=N startNs=… firstNs=… lastNs=… cpuStartNs=… cpuFirstNs=… cpuEndNs=… peakHeap=…</pre>
 *
 * Times are {@code System.nanoTime()} values of this JVM and CPU its process CPU time, taken when the
 * engine is started (streaming begins: connector start-up, slot checks), at the first event and at the
 * last, the same points as for this library's contender. Progress goes to stderr.
 *
 * <p>With a ninth argument, a table ({@code public.s1}), it makes Debezium's initial snapshot of that table
 * instead: {@code snapshot.mode=initial_only}, {@code table.include.list} that table (Debezium's snapshot
 * reads every table its filters select, not the publication's), its defaults otherwise (one snapshot
 * thread, its fetch size), and the same counting until {@code expected} rows arrived.
 *
 * <p>Arguments: host port database user password slot publication expected [snapshot table].
 */
public final class DebeziumDrainMain {

    private DebeziumDrainMain() {
    }

    /**
     * Runs the drain.
     *
     * @param args host port database user password slot publication expected [snapshot table]
     */
    public static void main(String[] args) throws Exception {
        long expected = Long.parseLong(args[7]);
        Properties props = new Properties();
        props.setProperty("name", "pgoutput-bench-debezium");
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        props.setProperty("offset.flush.interval.ms", "10000");
        props.setProperty("database.hostname", args[0]);
        props.setProperty("database.port", args[1]);
        props.setProperty("database.dbname", args[2]);
        props.setProperty("database.user", args[3]);
        props.setProperty("database.password", args[4]);
        props.setProperty("topic.prefix", "bench");
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", args[5]);
        props.setProperty("publication.name", args[6]);
        props.setProperty("publication.autocreate.mode", "disabled");
        if (args.length > 8) {
            props.setProperty("snapshot.mode", "initial_only");
            props.setProperty("table.include.list", args[8]);
        } else {
            props.setProperty("snapshot.mode", "no_data");
        }
        // The runner drops the slots itself (this JVM halts without stopping the engine).
        props.setProperty("slot.drop.on.stop", "false");
        // One record per change, as the other contenders count them (no tombstone after a delete).
        props.setProperty("tombstones.on.delete", "false");

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        AtomicLong events = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long[] firstNs = {0};
        long[] cpuFirst = {0};
        long[] lastNs = {0};
        long[] cpuEnd = {0};
        CountDownLatch done = new CountDownLatch(1);
        long progressEvery = Math.max(1, expected / 10);
        try (DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(props)
                .notifying(record -> {
                    String value = record.value();
                    if (value == null) {
                        return;
                    }
                    long n = events.incrementAndGet();
                    if (n == 1) {
                        firstNs[0] = System.nanoTime();
                        cpuFirst[0] = os.getProcessCpuTime();
                    }
                    bytes.addAndGet(value.length());
                    if (n % progressEvery == 0) {
                        System.err.printf("debezium: %,d of %,d events%n", n, expected);
                    }
                    if (n == expected) {
                        lastNs[0] = System.nanoTime();
                        cpuEnd[0] = os.getProcessCpuTime();
                        done.countDown();
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        System.err.println("debezium: engine stopped: " + message + (error == null ? "" : " " + error));
                        done.countDown();
                    }
                })
                .build()) {
            ExecutorService executor = Executors.newSingleThreadExecutor();
            long startNs = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            executor.execute(engine);
            if (!done.await(30, TimeUnit.MINUTES) || events.get() < expected) {
                System.out.println("FAILED events=" + events.get() + " expected=" + expected);
                System.exit(2);
            }
            System.out.println("RESULT events=" + events.get() + " startNs=" + startNs + " firstNs=" + firstNs[0]
                    + " lastNs=" + lastNs[0] + " cpuStartNs=" + cpuStart + " cpuFirstNs=" + cpuFirst[0]
                    + " cpuEndNs=" + cpuEnd[0] + " peakHeap=" + peakHeap.get() + " jsonChars=" + bytes.get());
            System.out.flush();
            // The result is out; stopping the engine politely only adds its shutdown noise to the output.
            Runtime.getRuntime().halt(0);
        }
    }
}
