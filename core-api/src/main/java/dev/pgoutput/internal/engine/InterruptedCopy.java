package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.SnapshotMode;
import dev.pgoutput.spi.ChunkSession;
import dev.pgoutput.spi.PublishedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An initial copy found interrupted at start: its exported snapshot died with the process, and its slot
 * streams only what came after the consistent point, so the tables it did not finish would be missing
 * the rows it never delivered. They are handed to an incremental snapshot against the stream; when that
 * cannot be (a table without a key, a server before 14, a snapshot-only reader) the reader refuses to
 * start, with the way to start over, rather than stream after half a snapshot.
 */
final class InterruptedCopy {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptedCopy.class);

    private InterruptedCopy() {
    }

    /**
     * Records the tables left to copy as owed incremental snapshots.
     *
     * @param watermarks whether the stream can carry incremental snapshots' watermarks
     * @throws ReplicationSetupException when the rest cannot be finished incrementally
     */
    static void finishIncrementally(ReaderConfig config, Handshake.Opened opened, SnapshotState state,
                                    boolean watermarks) {
        String slot = config.stream().slot();
        if (config.snapshot().mode() == SnapshotMode.INITIAL_ONLY) {
            throw refused(slot, state, "snapshot(INITIAL_ONLY) ends after its copy, so it cannot finish the rest "
                    + "against the stream");
        }
        if (!watermarks) {
            throw refused(slot, state, "finishing it against the stream takes an incremental snapshot, which needs "
                    + "PostgreSQL 14 or newer with protocol version 2 or higher");
        }
        Set<String> copied = state.copiedTables();
        List<String> remaining = new ArrayList<>();
        List<String> keyless = new ArrayList<>();
        int published = 0;
        try (ChunkSession session = opened.connection().openChunkSession()) {
            for (PublishedTable t : session.publishedTables(config.stream().publications())) {
                String name = t.qualifiedName();
                if (!config.stream().tables().isEmpty() && !config.stream().tables().contains(name)) {
                    continue;
                }
                published++;
                if (copied.contains(name)) {
                    continue;
                }
                (session.keyColumns(t).isEmpty() ? keyless : remaining).add(name);
            }
        }
        if (!keyless.isEmpty()) {
            throw refused(slot, state, "tables " + keyless + " have no primary key or replica identity index, so "
                    + "the rest of their rows cannot be copied against the stream");
        }
        LOG.warn("The initial snapshot of slot '{}' was interrupted with {} of {} table(s) acknowledged; the rest "
                + "are finished by an incremental snapshot: {}", slot, copied.size(), published, remaining);
        state.finishIncrementally(slot, remaining);
    }

    private static ReplicationSetupException refused(String slot, SnapshotState state, String why) {
        return new ReplicationSetupException(ReplicationSetupException.Problem.SNAPSHOT,
                "the initial snapshot of slot \"" + slot + "\" was interrupted (recorded in " + state.file()
                        + ") and " + why + "; streaming now would leave out the rows it did not deliver",
                "start over: SELECT pg_drop_replication_slot('" + slot + "'); then remove " + state.file(), null);
    }
}
