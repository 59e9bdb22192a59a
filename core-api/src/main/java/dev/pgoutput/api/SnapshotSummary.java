package dev.pgoutput.api;

import java.time.Duration;
import java.util.List;

/**
 * What a snapshot copied.
 *
 * @param tables   the tables copied, {@code schema.table}, in the order they were planned
 * @param rows     the rows delivered
 * @param duration from the start of the copy until its last row was delivered to the buffer
 */
public record SnapshotSummary(List<String> tables, long rows, Duration duration) {

    /** Copies the table list. */
    public SnapshotSummary {
        tables = List.copyOf(tables);
    }
}
