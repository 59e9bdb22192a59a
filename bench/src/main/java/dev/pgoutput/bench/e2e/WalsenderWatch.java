package dev.pgoutput.bench.e2e;

import dev.pgoutput.testkit.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The server's side of a drain: finds the walsender serving a slot ({@code pg_replication_slots.active_pid},
 * polled every 10 ms until a contender connects) and follows its CPU time through {@code /proc}, so the
 * report can say whether the server or the consumer was the limit. A walsender that runs one core flat
 * out is the ceiling no consumer can pass.
 */
final class WalsenderWatch implements AutoCloseable {

    private final Thread thread;
    private volatile ProcessSampler sampler;
    private volatile boolean stopped;

    private WalsenderWatch(EmbeddedPostgres pg, String slot) {
        this.thread = new Thread(() -> {
            try (Connection c = pg.connect();
                 PreparedStatement st = c.prepareStatement(
                         "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL")) {
                st.setString(1, slot);
                while (!stopped && sampler == null) {
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            sampler = ProcessSampler.follow(rs.getLong(1));
                            return;
                        }
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                System.err.println("walsender watch for " + slot + " failed: " + e);
            }
        }, "walsender-watch-" + slot);
        thread.setDaemon(true);
        thread.start();
    }

    static WalsenderWatch start(EmbeddedPostgres pg, String slot) {
        return new WalsenderWatch(pg, slot);
    }

    /** The walsender's CPU seconds so far (all of them once it has ended), or NaN if it was never found. */
    double cpuSeconds() {
        ProcessSampler s = sampler;
        return s == null ? Double.NaN : s.cpuSeconds();
    }

    /** Waits (up to 5 s) for the walsender to end after its client left, so its last CPU reading is in. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(1_000);
        ProcessSampler s = sampler;
        if (s != null) {
            Thread waiter = new Thread(() -> {
                try {
                    s.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.setDaemon(true);
            waiter.start();
            waiter.join(5_000);
        }
    }
}
