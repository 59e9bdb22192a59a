package dev.pgoutput.api;

/**
 * How {@link ReplicationSlots} creates a slot.
 *
 * <pre>{@code
 * SlotOptions.defaults().withTwoPhase(true)     // PostgreSQL 15+
 * SlotOptions.defaults().withFailover(true)     // PostgreSQL 17+
 * }</pre>
 *
 * @param twoPhase  decode prepared transactions at their PREPARE (PostgreSQL 15+)
 * @param failover  synchronise the slot to standbys, so that it survives a failover (PostgreSQL 17+)
 * @param temporary end the slot with the connection that created it: with {@link ReplicationSlots#connect}
 *                  that is when the {@code ReplicationSlots} is closed
 */
public record SlotOptions(boolean twoPhase, boolean failover, boolean temporary) {

    private static final SlotOptions DEFAULTS = new SlotOptions(false, false, false);

    /** A permanent slot without two-phase or failover. */
    public static SlotOptions defaults() {
        return DEFAULTS;
    }

    /** The same options with two-phase decoding on or off. */
    public SlotOptions withTwoPhase(boolean on) {
        return new SlotOptions(on, failover, temporary);
    }

    /** The same options with failover on or off. */
    public SlotOptions withFailover(boolean on) {
        return new SlotOptions(twoPhase, on, temporary);
    }

    /** The same options for a temporary or a permanent slot. */
    public SlotOptions withTemporary(boolean on) {
        return new SlotOptions(twoPhase, failover, on);
    }
}
