package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.api.ReconnectPolicy;
import java.time.Duration;

/**
 * How the reader keeps its replication connection: status updates, the silence that means the link is
 * gone, and reconnecting.
 *
 * @param statusInterval how often to send status updates
 * @param receiveTimeout silence after which the connection is presumed lost; zero for never
 * @param reconnect      how to reconnect after transient failures
 * @param startTimeout   how long the start keeps retrying transient failures under {@code reconnect}; zero for
 *                       one attempt
 */
public record LinkOptions(Duration statusInterval, Duration receiveTimeout, ReconnectPolicy reconnect,
                          Duration startTimeout) {

    /** Validates. */
    public LinkOptions {
        if (statusInterval == null || statusInterval.isNegative() || statusInterval.isZero()) {
            throw new ConfigurationException("statusInterval must be positive, got " + statusInterval);
        }
        if (receiveTimeout == null || receiveTimeout.isNegative()) {
            throw new ConfigurationException("receiveTimeout must be zero (off) or positive, got " + receiveTimeout);
        }
        java.util.Objects.requireNonNull(reconnect, "reconnect");
        if (startTimeout == null || startTimeout.isNegative()) {
            throw new ConfigurationException("startTimeout must be zero (one attempt) or positive, got " + startTimeout);
        }
    }
}
