package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ReconnectPolicy;
import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.internal.jfr.Recorded;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a reader, retried while it fails for a reason that may pass (the server down or restarting, the
 * slot still held by the previous process's walsender), with the reconnect policy's delays, for at most the
 * start timeout. Without it a rolling restart or a crash-restart fails in {@code build()} although waiting a
 * moment would have worked. Permanent failures pass through at once.
 */
final class StartRetry {

    private static final Logger LOG = LoggerFactory.getLogger(StartRetry.class);

    private StartRetry() {
    }

    /** Runs {@code attempt} until it succeeds, fails permanently, or the time or the policy's attempts run out. */
    static <T> T open(ReaderConfig config, Supplier<T> attempt) {
        ReconnectPolicy policy = config.link().reconnect();
        Duration timeout = config.link().startTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        String slot = config.stream().slot();
        for (int n = 1; ; n++) {
            try {
                T result = Recorded.connect(slot, server(config), "start", n, attempt);
                if (n > 1) {
                    LOG.info("Started slot '{}' at attempt {}", slot, n);
                }
                return result;
            } catch (ReplicationConnectionException e) {
                if (!e.isTransient() || !policy.allows(n)) {
                    throw e;
                }
                Duration delay = policy.delayBefore(n);
                long left = deadline - System.nanoTime();
                if (left <= delay.toNanos()) {
                    throw new ReplicationConnectionException("could not start slot '" + slot + "' within startTimeout "
                            + timeout.toMillis() + " ms (" + n + " attempt" + (n > 1 ? "s" : "") + "): "
                            + e.getMessage(), true, e);
                }
                LOG.warn("Cannot start slot '{}' yet ({}); attempt {} in {} ms, for at most startTimeout {} ms", slot,
                        e.getMessage(), n + 1, delay.toMillis(), timeout.toMillis());
                sleep(delay);
            }
        }
    }

    static String server(ReaderConfig config) {
        return config.connection().host() + ":" + config.connection().port();
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationConnectionException("interrupted while waiting to start again", false, e);
        }
    }
}
