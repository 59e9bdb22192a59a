package dev.pgoutput.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * A logical replication slot to create with the replication protocol's {@code CREATE_REPLICATION_SLOT …
 * LOGICAL pgoutput}, never with the SQL function inside a transaction (which gives no consistent pair of
 * snapshot and start position).
 *
 * @param name           the slot name (lower-case letters, digits and underscores)
 * @param temporary      whether the slot ends with the connection that created it
 * @param exportSnapshot whether to export the snapshot that shows the database as of the slot's
 *                       consistent point (it lives until the next command on that connection)
 * @param twoPhase       whether the slot decodes prepared transactions at PREPARE (PostgreSQL 15+)
 * @param failover       whether the slot is synchronised to standbys (PostgreSQL 17+)
 * @param timeout        how long creation may wait for the transactions running when it started
 */
public record SlotRequest(String name, boolean temporary, boolean exportSnapshot, boolean twoPhase, boolean failover,
                          Duration timeout) {

    /** Checks the fields. */
    public SlotRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }
}
