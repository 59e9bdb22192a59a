package dev.pgoutput.api;

/**
 * Whether a reader copies the tables' current rows before it streams their changes.
 *
 * <ul>
 *   <li>{@link #NEVER} (the default): only changes, from where the slot is.</li>
 *   <li>{@link #INITIAL}: when the reader creates the slot, it first copies every published table under
 *       the slot's exported snapshot ({@link Op#READ} events), then streams from the slot's consistent
 *       point: no change lost, none doubled. With an existing slot nothing is copied.</li>
 *   <li>{@link #INITIAL_ONLY}: the same copy into a slot made for it, then the iteration ends and that
 *       slot is dropped.</li>
 * </ul>
 */
public enum SnapshotMode {
    /** No snapshot. */
    NEVER,
    /** Copy the tables when the slot is created, then stream. */
    INITIAL,
    /** Copy the tables, then end. */
    INITIAL_ONLY
}
