package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot state file: what a restart owes, read back as written, and gone once nothing is owed. */
class SnapshotStateTest {

    @TempDir
    Path dir;

    @Test
    void anInterruptedCopyAndItsAcknowledgedTablesReadBack() {
        Path file = dir.resolve("s.snapshot");
        SnapshotState state = new SnapshotState(file);
        assertNull(state.interruptedSlot());
        state.started("s1", "0/16B3748");
        state.tableCopied("public.a");
        state.tableCopied("public.b");
        SnapshotState again = new SnapshotState(file);
        assertEquals("s1", again.interruptedSlot());
        assertEquals(Set.of("public.a", "public.b"), again.copiedTables());
        again.finished();
        assertFalse(Files.exists(file), "nothing owed: no file");
    }

    @Test
    void incrementalProgressKeepsKeysWithAnyCharacters() {
        Path file = dir.resolve("i.snapshot");
        SnapshotState state = new SnapshotState(file);
        state.requested("s1", List.of("public.t", "public.u"));
        List<String> key = List.of("a=b:c\nd\\e", "ü ' \"x\"", "");
        state.chunkAcknowledged("public.t", key);
        List<SnapshotState.Pending> owed = new SnapshotState(file).pending();
        assertEquals(List.of(new SnapshotState.Pending("public.t", key), new SnapshotState.Pending("public.u", null)),
                owed);
        state.tableDone("public.t");
        assertEquals(List.of(new SnapshotState.Pending("public.u", null)), new SnapshotState(file).pending());
        state.tableDone("public.u");
        assertFalse(Files.exists(file));
    }

    @Test
    void anInterruptedCopyHandedToIncrementalSnapshotsGoesFirst() {
        Path file = dir.resolve("h.snapshot");
        SnapshotState state = new SnapshotState(file);
        state.requested("s1", List.of("public.later"));
        state.started("s1", "0/1");
        state.finishIncrementally("s1", List.of("public.rest"));
        SnapshotState again = new SnapshotState(file);
        assertNull(again.interruptedSlot(), "no longer a copy: owed as incremental snapshots");
        assertEquals(List.of("public.rest", "public.later"),
                again.pending().stream().map(SnapshotState.Pending::table).toList());
    }

    @Test
    void anotherSlotsRecordOrAnUnreadableFileIsRefused() throws Exception {
        Path file = dir.resolve("o.snapshot");
        new SnapshotState(file).requested("other", List.of("public.t"));
        ConfigurationException other = assertThrows(ConfigurationException.class,
                () -> new SnapshotState(file).checkSlot("mine"));
        assertTrue(other.getMessage().contains("\"other\""), other.getMessage());
        Path broken = dir.resolve("b.snapshot");
        Files.writeString(broken, "status=copying\n");
        ConfigurationException unreadable = assertThrows(ConfigurationException.class, () -> new SnapshotState(broken));
        assertTrue(unreadable.getMessage().contains("names no slot"), unreadable.getMessage());
    }

    @Test
    void aNewSlotVoidsWhatWasOwedToAnOlderOneOfItsName() {
        Path file = dir.resolve("n.snapshot");
        new SnapshotState(file).requested("s1", List.of("public.t"));
        SnapshotState state = new SnapshotState(file);
        state.newSlot("s1");
        assertTrue(state.pending().isEmpty());
        assertFalse(Files.exists(file));
    }
}
