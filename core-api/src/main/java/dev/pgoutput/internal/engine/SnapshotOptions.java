package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.api.SnapshotMode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Whether and how the reader copies the tables before it streams.
 *
 * @param mode        never, initial, or initial only
 * @param parallelism how many connections copy at once
 * @param state       where the progress of a snapshot is recorded, so that an interrupted one is noticed
 */
public record SnapshotOptions(SnapshotMode mode, int parallelism, Path state) {

    /** Validates. */
    public SnapshotOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(state, "state");
        if (parallelism < 1 || parallelism > 64) {
            throw new ConfigurationException("snapshotParallelism must be between 1 and 64, got " + parallelism);
        }
    }

    /** Whether a snapshot may be taken at all. */
    boolean wanted() {
        return mode != SnapshotMode.NEVER;
    }
}
