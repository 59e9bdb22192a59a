package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.spi.ConnectionSettings;

/**
 * Everything a reader was configured with, in parts that validate themselves; this record checks what
 * crosses them.
 *
 * @param connection where to connect
 * @param stream     what to stream and the pgoutput options
 * @param delivery   what the application receives and how it acknowledges
 * @param buffers    how much may wait in memory and where spilled transactions go
 * @param link       status updates, receive timeout and reconnecting
 * @param snapshot   whether and how the tables are copied before streaming
 * @param decoder    requested decoder name, or null for automatic selection
 * @param serverName the logical name in the source block
 */
public record ReaderConfig(ConnectionSettings connection, StreamOptions stream, DeliveryOptions delivery,
                           BufferOptions buffers, LinkOptions link, SnapshotOptions snapshot, String decoder,
                           String serverName) {

    /** Checks the rules that span the parts. */
    public ReaderConfig {
        if (delivery.deliverUncommitted() && !stream.streaming()) {
            throw new ConfigurationException("deliverUncommitted(true) needs streaming(true)");
        }
        if (delivery.deliverOnPrepare() && !stream.twoPhase()) {
            throw new ConfigurationException("deliverOnPrepare(true) needs twoPhase(true)");
        }
        if ((delivery.deliverUncommitted() || delivery.deliverOnPrepare()) && delivery.outcomes() == null) {
            throw new ConfigurationException((delivery.deliverUncommitted() ? "deliverUncommitted" : "deliverOnPrepare")
                    + "(true) needs transactionOutcomes(listener): events come before their transaction's "
                    + "outcome, and the listener learns it");
        }
        if (serverName == null || serverName.isEmpty()) {
            throw new ConfigurationException("name(...) must not be empty");
        }
    }

    /** Whether transactions are kept until their outcome (streamed or prepared ones). */
    boolean keepsTransactions() {
        return stream.streaming() || stream.twoPhase();
    }
}
