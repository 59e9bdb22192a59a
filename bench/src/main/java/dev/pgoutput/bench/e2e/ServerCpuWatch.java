package dev.pgoutput.bench.e2e;

import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's CPU while one snapshot contender runs: every process under the postmaster (the backends
 * that serve the copy, however many connections a contender opens, and the background processes),
 * sampled through {@code /proc} every 20 ms. A process already running at the start counts from its
 * reading then, one started later from zero; one that ends loses at most its last 20 ms.
 *
 * <p>Unlike {@link WalsenderWatch}, which follows the one walsender of a slot, a snapshot has no single
 * server process to follow: psql's COPY has one backend, this library one per reader connection plus the
 * replication connection that exported the snapshot, Debezium its own few. Background work (checkpointer,
 * autovacuum) is counted too; the table is vacuumed before the section so that little of it is left.
 */
final class ServerCpuWatch implements AutoCloseable {

    /** pid → {ticks when first seen (0 for a process started during the watch), last ticks read}. */
    private final Map<Long, long[]> ticks = new HashMap<>();
    private final ProcessHandle postmaster;
    private final Thread thread;
    private volatile boolean stopped;

    private ServerCpuWatch(ProcessHandle postmaster) {
        this.postmaster = postmaster;
        sample(true);
        this.thread = new Thread(() -> {
            while (!stopped) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                sample(false);
            }
        }, "server-cpu-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching; null when the postmaster cannot be found (then the report shows no server CPU). */
    static ServerCpuWatch start(EmbeddedPostgres pg) {
        try {
            long pid = Long.parseLong(Files.readAllLines(pg.dataDirectory().resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(pid).map(ServerCpuWatch::new).orElse(null);
        } catch (IOException | RuntimeException e) {
            System.err.println("server CPU watch: no postmaster.pid (" + e + ")");
            return null;
        }
    }

    private synchronized void sample(boolean baseline) {
        postmaster.children().forEach(child -> {
            try {
                long now = ProcessSampler.readCpuTicks(child.pid());
                long[] seen = ticks.computeIfAbsent(child.pid(), pid -> new long[] {baseline ? now : 0, 0});
                seen[1] = now;
            } catch (IOException | RuntimeException e) {
                // It ended between the listing and the reading.
            }
        });
    }

    /** Stops the watch after one last reading. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(1_000);
        sample(false);
    }

    /** The server's CPU seconds between the start and {@link #close()}. */
    synchronized double cpuSeconds() {
        long sum = 0;
        for (long[] seen : ticks.values()) {
            sum += seen[1] - seen[0];
        }
        return ProcessSampler.ticksToSeconds(sum);
    }
}
