package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that holds one transaction's kept messages once they no longer fit in memory: written in
 * arrival order, read back once, then removed. Readable by its owner only, because it holds table data.
 * Every I/O failure is a {@link PgOutputException} naming the file.
 */
final class SpillFile {

    private static final Logger LOG = LoggerFactory.getLogger(SpillFile.class);
    static final String SUFFIX = ".spill";
    private static final int IO_BUFFER_BYTES = 1 << 16;

    private final Path path;
    private DataOutputStream out;
    private DataInputStream in;
    private long bytes;

    private SpillFile(Path path, DataOutputStream out) {
        this.path = path;
        this.out = out;
    }

    /** Creates {@code name} in {@code directory} (made if missing), owner-only, with the format header. */
    static SpillFile create(Path directory, String name) {
        Path file = directory.resolve(name + SUFFIX);
        try {
            Files.createDirectories(directory);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), IO_BUFFER_BYTES));
            SpillRecordCodec.writeHeader(out);
            SpillFile spill = new SpillFile(file, out);
            spill.bytes = SpillRecordCodec.HEADER_BYTES;
            return spill;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Reported below; the leftover is removed by the next reader of the directory.
            }
            throw new PgOutputException("could not create spill file " + file + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** Bytes in the file so far. */
    long bytes() {
        return bytes;
    }

    /** Appends one message; returns the bytes written. */
    long append(KeptMessage kept) {
        try {
            int written = SpillRecordCodec.write(out, kept);
            bytes += written;
            return written;
        } catch (IOException e) {
            throw new PgOutputException("could not write to spill file " + path + " (is the disk full?): "
                    + e.getMessage(), e);
        }
    }

    /** Ends writing and starts reading from the first record. */
    void startReading() {
        try {
            out.close();
            out = null;
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), IO_BUFFER_BYTES));
            SpillRecordCodec.readHeader(in);
        } catch (IOException e) {
            delete();
            throw new PgOutputException("could not read back spill file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The next record, or null at the end. */
    SpillRecordCodec.Record next() {
        try {
            return SpillRecordCodec.read(in);
        } catch (IOException e) {
            throw new PgOutputException("could not read spill file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Closes and removes the file; never throws. */
    void delete() {
        closeQuietly(out);
        closeQuietly(in);
        out = null;
        in = null;
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("Could not remove spill file {}: {}", path, e.toString());
        }
    }

    private void closeQuietly(java.io.Closeable stream) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("Closing spill file {}: {}", path, e.toString());
        }
    }
}
