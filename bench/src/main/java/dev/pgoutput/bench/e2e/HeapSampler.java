package dev.pgoutput.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the JVM's used heap every 10 ms on a daemon thread and keeps the largest value seen. */
final class HeapSampler {

    private final AtomicLong peak = new AtomicLong();

    private HeapSampler() {
    }

    static HeapSampler start() {
        HeapSampler sampler = new HeapSampler();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Thread thread = new Thread(() -> {
            while (true) {
                sampler.peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
        return sampler;
    }

    long peak() {
        return peak.get();
    }
}
