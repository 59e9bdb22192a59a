package dev.pgoutput.spi;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What to stream.
 *
 * @param slot           the logical replication slot
 * @param startLsn       where to start; the server starts at the later of this and the slot's confirmed
 *                       flush position, so 0 means "where the slot is"
 * @param pluginOptions  pgoutput options in order ({@code proto_version}, {@code publication_names}, …);
 *                       names and values are validated by the caller
 * @param statusInterval how often the transport sends status updates on its own
 * @param receiveTimeout how long the transport waits without receiving anything before it declares the
 *                       connection lost (a transient {@link dev.pgoutput.api.ReplicationConnectionException});
 *                       after half of it the transport asks the server to reply. Zero turns the check off
 * @param flushPosition  the position to report as written, flushed and applied in status updates: what the
 *                       application has acknowledged, never more; read by the stream each time it sends one
 */
public record StreamRequest(String slot, long startLsn, Map<String, String> pluginOptions, Duration statusInterval,
                            Duration receiveTimeout, LongSupplier flushPosition) {

    /** Copies the options, keeping their order. */
    public StreamRequest {
        java.util.Objects.requireNonNull(flushPosition, "flushPosition");
        pluginOptions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pluginOptions));
    }
}
