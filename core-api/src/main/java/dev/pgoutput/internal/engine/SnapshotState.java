package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * What a restart owes the application of its snapshots, kept in one file and rewritten atomically on
 * every change: an initial copy in progress (its slot, consistent point, and the tables whose every row
 * was acknowledged), and the incremental snapshots asked for and not finished (each table, with the key
 * of its last acknowledged chunk). The file goes once nothing is owed.
 *
 * <p>A copy found interrupted at start cannot go on under its snapshot (that died with its connection):
 * its slot streams only what came after the consistent point, so the tables it did not finish are
 * finished by an incremental snapshot against the stream, or the reader refuses to start. Thread-safe:
 * the one owner of the file.
 */
final class SnapshotState {

    /** An incremental snapshot owed for a table, from after {@code after} (null: from its start). */
    record Pending(String table, List<String> after) {
    }

    private final Path file;
    // The record, guarded by this.
    private String slot;
    private String consistentPoint;
    private boolean copying;
    private final Set<String> copied = new LinkedHashSet<>();
    private final Map<String, List<String>> incremental = new LinkedHashMap<>();

    SnapshotState(Path file) {
        this.file = file;
        load();
    }

    Path file() {
        return file;
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw unreadable(e.getMessage());
        }
        slot = p.getProperty("slot");
        consistentPoint = p.getProperty("consistentPoint");
        copying = "copying".equals(p.getProperty("status"));
        for (int i = 0; p.containsKey("copied." + i); i++) {
            copied.add(p.getProperty("copied." + i));
        }
        for (int i = 0; p.containsKey("incremental." + i); i++) {
            List<String> after = null;
            if (p.containsKey("incremental." + i + ".after.0")) {
                after = new ArrayList<>();
                for (int k = 0; p.containsKey("incremental." + i + ".after." + k); k++) {
                    after.add(p.getProperty("incremental." + i + ".after." + k));
                }
            }
            incremental.put(p.getProperty("incremental." + i), after);
        }
        if (slot == null) {
            throw unreadable("it names no slot");
        }
    }

    private ConfigurationException unreadable(String why) {
        return new ConfigurationException("snapshot state " + file + " cannot be read: " + why
                + "; fix or remove it, or choose another with snapshotState(...)");
    }

    /**
     * Checks that the record, if any, is about {@code forSlot}.
     *
     * @throws ConfigurationException when it is another slot's
     */
    synchronized void checkSlot(String forSlot) {
        if (slot != null && !slot.equals(forSlot)) {
            throw new ConfigurationException("snapshot state " + file + " records snapshots of slot \"" + slot
                    + "\", not of \"" + forSlot + "\"; choose another file with snapshotState(...)");
        }
    }

    /** The slot whose initial copy was interrupted, or null when none was. */
    synchronized String interruptedSlot() {
        return copying ? slot : null;
    }

    /** The tables of the interrupted copy whose every row was acknowledged. */
    synchronized Set<String> copiedTables() {
        return Set.copyOf(copied);
    }

    /** The incremental snapshots owed, in order. */
    synchronized List<Pending> pending() {
        List<Pending> owed = new ArrayList<>();
        incremental.forEach((table, after) -> owed.add(new Pending(table, after)));
        return owed;
    }

    /** The slot is new: whatever the record says of an older slot of that name is void. */
    synchronized void newSlot(String newSlot) {
        slot = newSlot;
        copying = false;
        consistentPoint = null;
        copied.clear();
        incremental.clear();
        write();
    }

    /** A copy into {@code slot} starts at {@code consistentPoint}. */
    synchronized void started(String copySlot, String point) {
        slot = copySlot;
        consistentPoint = point;
        copying = true;
        copied.clear();
        write();
    }

    /** Every row of {@code table} in the initial copy was acknowledged. */
    synchronized void tableCopied(String table) {
        if (copying && copied.add(table)) {
            write();
        }
    }

    /** Every row of the initial copy was acknowledged (or its slot is gone): nothing is owed for it any more. */
    synchronized void finished() {
        copying = false;
        consistentPoint = null;
        copied.clear();
        write();
    }

    /**
     * The interrupted copy is handed over to incremental snapshots of the tables it did not finish,
     * which go first.
     */
    synchronized void finishIncrementally(String forSlot, List<String> tables) {
        Map<String, List<String>> owed = new LinkedHashMap<>();
        tables.forEach(t -> owed.put(t, null));
        incremental.forEach(owed::putIfAbsent);
        incremental.clear();
        incremental.putAll(owed);
        slot = forSlot;
        copying = false;
        consistentPoint = null;
        copied.clear();
        write();
    }

    /** Incremental snapshots of {@code tables} were asked for. */
    synchronized void requested(String forSlot, List<String> tables) {
        slot = forSlot;
        for (String t : tables) {
            incremental.putIfAbsent(t, null);
        }
        write();
    }

    /** The rows of {@code table} up to the key {@code after} were acknowledged. */
    synchronized void chunkAcknowledged(String table, List<String> after) {
        if (incremental.containsKey(table)) {
            incremental.put(table, List.copyOf(after));
            write();
        }
    }

    /** Nothing more is owed for {@code table}'s incremental snapshot (done and acknowledged, or refused). */
    synchronized void tableDone(String table) {
        if (incremental.containsKey(table)) {
            incremental.remove(table);
            write();
        }
    }

    /** Makes the rename durable where the platform allows it (Linux does; some systems cannot open a directory). */
    private static void syncDirectory(Path dir) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the file itself is on disk.
        }
    }

    private void write() {
        try {
            if (!copying && incremental.isEmpty()) {
                if (Files.deleteIfExists(file)) {
                    syncDirectory(file.toAbsolutePath().getParent());
                }
                return;
            }
            Properties p = new Properties();
            p.setProperty("slot", slot);
            if (copying) {
                p.setProperty("status", "copying");
                p.setProperty("consistentPoint", consistentPoint);
                int i = 0;
                for (String t : copied) {
                    p.setProperty("copied." + i++, t);
                }
            }
            int i = 0;
            for (Map.Entry<String, List<String>> e : incremental.entrySet()) {
                p.setProperty("incremental." + i, e.getKey());
                if (e.getValue() != null) {
                    for (int k = 0; k < e.getValue().size(); k++) {
                        p.setProperty("incremental." + i + ".after." + k, e.getValue().get(k));
                    }
                }
                i++;
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE);
                 Writer out = new java.io.OutputStreamWriter(java.nio.channels.Channels.newOutputStream(channel),
                         StandardCharsets.UTF_8)) {
                p.store(out, "pgoutput-decoder snapshots owed to the application; removed once nothing is");
                out.flush();
                channel.force(true);   // on disk before it replaces the record: a crash leaves one or the other
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
        } catch (IOException e) {
            throw new ConfigurationException("snapshot state " + file + " cannot be written: " + e.getMessage()
                    + "; choose another place with snapshotState(...)");
        }
    }
}
