package dev.pgoutput.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a reader reconnects after a transient failure (a reset connection, a terminated walsender, a
 * server restart, a slot still held by the previous connection). Permanent failures (authentication,
 * a missing slot or publication, {@code wal_level}) never retry.
 *
 * <p>The delay before attempt {@code n} (1-based) is {@code initialDelay * multiplier^(n-1)}, capped at
 * {@code maxDelay}, then spread by ±{@code jitter} so that many readers do not reconnect in step.
 *
 * <pre>{@code
 * builder.reconnect(new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0, 0.2, 10));
 * builder.reconnect(ReconnectPolicy.NONE);   // fail on the first connection loss
 * }</pre>
 *
 * @param initialDelay delay before the first attempt
 * @param maxDelay     the longest delay between attempts
 * @param multiplier   growth of the delay per attempt, at least 1
 * @param jitter       relative spread of each delay, from 0 (none) to 1
 * @param maxAttempts  attempts per connection loss; 0 means unlimited
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                              int maxAttempts) {

    /** The default: 500 ms, doubling up to 30 s, ±25 % jitter, retrying forever. */
    public static final ReconnectPolicy DEFAULT =
            new ReconnectPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.25, 0);

    /** Never reconnect: the first connection loss ends the reader with its exception. */
    public static final ReconnectPolicy NONE = new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 1.0, 0.0, -1);

    /**
     * Checks the values.
     *
     * @throws ConfigurationException when a value is out of range
     */
    public ReconnectPolicy {
        if (initialDelay == null || maxDelay == null || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new ConfigurationException("reconnect delays must satisfy 0 <= initialDelay <= maxDelay, got "
                    + initialDelay + " and " + maxDelay);
        }
        if (!(multiplier >= 1.0) || !(jitter >= 0.0 && jitter <= 1.0)) {
            throw new ConfigurationException("reconnect multiplier must be >= 1 and jitter between 0 and 1, got "
                    + multiplier + " and " + jitter);
        }
        if (maxAttempts < -1) {
            throw new ConfigurationException("reconnect maxAttempts must be >= 0 (0 = unlimited), got " + maxAttempts);
        }
    }

    /** Whether this policy reconnects at all. */
    public boolean enabled() {
        return maxAttempts != -1;
    }

    /** Whether attempt {@code n} (1-based) may be made. */
    public boolean allows(int attempt) {
        return enabled() && (maxAttempts == 0 || attempt <= maxAttempts);
    }

    /** The delay before attempt {@code n} (1-based), jitter included. */
    public Duration delayBefore(int attempt) {
        double base = initialDelay.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, (double) maxDelay.toNanos());
        double spread = jitter == 0 ? 1.0 : 1.0 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofNanos((long) Math.max(0, capped * spread));
    }
}
