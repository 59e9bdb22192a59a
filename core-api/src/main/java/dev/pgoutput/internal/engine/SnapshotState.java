package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.api.PgOutputException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The record of an initial snapshot in progress: written, atomically, when the copy starts, and removed
 * once the application acknowledged every copied row. A record found at start means a copy was
 * interrupted: its slot streams only what came after its consistent point, so the rows the copy did not
 * deliver would be missing for good. The reader refuses to stream from such a slot instead of going on
 * with half a snapshot.
 */
final class SnapshotState {

    private final Path file;

    SnapshotState(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The slot whose copy was interrupted, or null when none was. */
    String interruptedSlot() {
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new ConfigurationException("snapshot state " + file + " cannot be read: " + e.getMessage()
                    + "; fix or remove it, or choose another with snapshotState(...)");
        }
        return p.getProperty("slot");
    }

    /** A copy into {@code slot} starts at {@code consistentPoint}. */
    void started(String slot, String consistentPoint) {
        Properties p = new Properties();
        p.setProperty("slot", slot);
        p.setProperty("consistentPoint", consistentPoint);
        p.setProperty("status", "copying");
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "pgoutput-decoder initial snapshot in progress; removed once every row is acknowledged");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConfigurationException("snapshot state " + file + " cannot be written: " + e.getMessage()
                    + "; choose another place with snapshotState(...)");
        }
    }

    /** Every row of the copy was acknowledged (or the copy's slot is gone): nothing is owed any more. */
    void finished() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new PgOutputException("snapshot state " + file + " cannot be removed: " + e.getMessage(), e);
        }
    }
}
