package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.api.PgOutputException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the messages of transactions whose outcome is not known yet: transactions the server streams
 * while they are in progress (pgoutput's {@code streaming}), and prepared transactions (two-phase)
 * waiting for COMMIT PREPARED. Each transaction's messages are kept in arrival order, in memory while
 * all of them together fit the memory budget, and in a file of their own in the spill directory beyond
 * it, so a transaction of any size passes through a bounded heap.
 *
 * <p>Messages are stored as they would arrive in an ordinary transaction: the streamed-block xid is
 * taken out and kept beside the bytes, so that a replay decodes them with the ordinary decoder and an
 * aborted subtransaction's changes can be left out.
 *
 * <p>Files are named {@code *.spill} and are removed when their transaction is delivered, aborted or
 * discarded, when the reader closes, and at start-up (left over from a process that died). They are
 * readable by the owner only: they hold table data. Engine thread only.
 */
final class TransactionSpools implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionSpools.class);
    /** Rough heap cost of one kept message beyond its bytes (the record, the array header, the list slot). */
    private static final int RECORD_OVERHEAD_BYTES = 64;
    private static final String SUFFIX = ".spill";
    private static final String LOCK_FILE = ".lock";
    private static final int IO_BUFFER_BYTES = 1 << 16;

    /** One kept message. */
    record Kept(int subXid, boolean schema, long lsn, byte[] bytes) {
    }

    private final Path directory;
    private final long memoryBudget;
    private final Map<Integer, Spool> spools = new HashMap<>();
    private long memoryUsed;
    private long spilledBytes;
    private long peakSpilledBytes;
    private long fileCounter;
    private boolean directoryReady;

    /** Held while this reader uses the directory, so that a second reader cannot share it. */
    private FileChannel lock;

    TransactionSpools(Path directory, long memoryBudget) {
        this.directory = directory;
        this.memoryBudget = memoryBudget;
    }

    /**
     * Takes the spill directory for one reader: creates it, locks it against other readers (in this
     * process or another) and removes the spill files a reader that died left in it.
     *
     * @throws ConfigurationException when another reader holds the directory
     */
    static TransactionSpools open(Path directory, long memoryBudget) {
        TransactionSpools spools = new TransactionSpools(directory, memoryBudget);
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock acquired;
            try {
                acquired = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                acquired = null;
            }
            if (acquired == null) {
                channel.close();
                throw new ConfigurationException("spill directory " + directory + " is in use by another reader; "
                        + "give each reader its own spillDirectory(...)");
            }
            spools.lock = channel;
            spools.directoryReady = true;
        } catch (IOException e) {
            throw new ConfigurationException("spill directory " + directory + " cannot be used: " + e
                    + "; choose another with spillDirectory(...)");
        }
        removeLeftovers(directory);
        return spools;
    }

    /** Removes spill files a previous process left behind in {@code directory}; a missing directory is fine. */
    static void removeLeftovers(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
                LOG.info("Removed spill file {} left by an earlier reader", file);
            }
        } catch (IOException e) {
            throw new PgOutputException("could not clean the spill directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Whether messages of {@code xid} are being kept. */
    boolean contains(int xid) {
        return spools.containsKey(xid);
    }

    /**
     * Starts keeping messages of {@code xid}; a spool it already has is dropped first (the server
     * sends a transaction's first block again only when it sends the whole transaction again).
     */
    void start(int xid) {
        Spool old = spools.remove(xid);
        if (old != null) {
            old.discard();
        }
        spools.put(xid, new Spool(xid));
    }

    /** Starts keeping messages of {@code xid} unless they already are. */
    void continueOrStart(int xid) {
        if (!spools.containsKey(xid)) {
            spools.put(xid, new Spool(xid));
        }
    }

    /**
     * Keeps one message of {@code xid}.
     *
     * @param xid       the top-level transaction
     * @param subXid    the (sub)transaction that made the change
     * @param schema    whether it is a Relation or Type message (never left out on replay)
     * @param lsn       its XLogData LSN
     * @param payload   the message bytes, position to limit; not changed
     * @param xidOffset the offset of a streamed-block xid to take out, or -1 when there is none
     */
    void add(int xid, int subXid, boolean schema, long lsn, ByteBuffer payload, int xidOffset) {
        Spool spool = spools.get(xid);
        if (spool == null) {
            throw new PgOutputException("streamed change for transaction " + Integer.toUnsignedString(xid)
                    + " arrived without its Stream Start");
        }
        spool.add(new Kept(subXid, schema, lsn, withoutXid(payload, xidOffset)));
    }

    /** Records the replication origin named in the transaction's first block. */
    void origin(int xid, String origin) {
        Spool spool = spools.get(xid);
        if (spool != null) {
            spool.origin = origin;
        }
    }

    /**
     * A subtransaction aborted ({@code subXid != xid}: its changes are left out when the transaction is
     * delivered) or the whole transaction did ({@code subXid == xid}: everything kept is dropped).
     */
    void abort(int xid, int subXid) {
        Spool spool = spools.get(xid);
        if (spool == null) {
            return;
        }
        if (subXid == xid) {
            spools.remove(xid);
            spool.discard();
        } else {
            spool.abortedSubs.add(subXid);
        }
    }

    /** Drops everything kept for {@code xid}, if anything. */
    void discard(int xid) {
        Spool spool = spools.remove(xid);
        if (spool != null) {
            spool.discard();
        }
    }

    /**
     * Hands over the kept messages of {@code xid} for delivery and forgets them; null when nothing was
     * kept for it. The replay must be closed, which removes its file.
     */
    Replay take(int xid) {
        Spool spool = spools.remove(xid);
        return spool == null ? null : spool.replay();
    }

    /** Drops every spool, as when the connection was lost and the server will send them again. */
    void discardAll() {
        for (Spool spool : spools.values()) {
            spool.discard();
        }
        spools.clear();
    }

    /** Bytes currently in spill files. */
    long spilledBytes() {
        return spilledBytes;
    }

    /** The most bytes that were in spill files at one time. */
    long peakSpilledBytes() {
        return peakSpilledBytes;
    }

    /** Heap bytes the kept messages use, as counted against the budget. */
    long memoryUsed() {
        return memoryUsed;
    }

    @Override
    public void close() {
        discardAll();
        if (lock != null) {
            try {
                lock.close();   // releases the lock; the file stays, empty, for the next reader
            } catch (IOException e) {
                LOG.debug("Releasing the spill directory lock: {}", e.toString());
            }
            lock = null;
        }
    }

    private static byte[] withoutXid(ByteBuffer payload, int xidOffset) {
        int start = payload.position();
        int length = payload.remaining();
        if (xidOffset < 0) {
            byte[] copy = new byte[length];
            payload.get(start, copy);
            return copy;
        }
        byte[] copy = new byte[length - 4];
        payload.get(start, copy, 0, xidOffset);
        payload.get(start + xidOffset + 4, copy, xidOffset, length - xidOffset - 4);
        return copy;
    }

    private Path newFile(int xid) throws IOException {
        if (!directoryReady) {
            Files.createDirectories(directory);
            directoryReady = true;
        }
        Path file = directory.resolve("xid-" + Integer.toUnsignedString(xid) + "-" + (++fileCounter) + SUFFIX);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        return file;
    }

    private static long cost(Kept kept) {
        return kept.bytes().length + RECORD_OVERHEAD_BYTES;
    }

    /** The kept messages of one transaction. */
    private final class Spool {
        final int xid;
        final Set<Integer> abortedSubs = new HashSet<>();
        String origin;
        ArrayList<Kept> memory = new ArrayList<>();
        long memoryBytes;
        Path file;
        DataOutputStream out;
        long fileBytes;

        Spool(int xid) {
            this.xid = xid;
        }

        void add(Kept kept) {
            long cost = cost(kept);
            if (out == null && memoryUsed + cost > memoryBudget) {
                spill();
            }
            if (out == null) {
                memory.add(kept);
                memoryBytes += cost;
                memoryUsed += cost;
            } else {
                write(kept);
            }
        }

        /** Moves what is in memory to a new file; everything after goes to the file too. */
        private void spill() {
            try {
                file = newFile(xid);
                out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), IO_BUFFER_BYTES));
            } catch (IOException e) {
                throw new PgOutputException("could not create a spill file in " + directory + " for transaction "
                        + Integer.toUnsignedString(xid) + ": " + e.getMessage(), e);
            }
            LOG.debug("Transaction {} exceeds the memory budget of {} bytes; spilling to {}",
                    Integer.toUnsignedString(xid), memoryBudget, file);
            for (Kept kept : memory) {
                write(kept);
            }
            memoryUsed -= memoryBytes;
            memoryBytes = 0;
            memory = null;
        }

        private void write(Kept kept) {
            try {
                out.writeInt(kept.subXid());
                out.writeBoolean(kept.schema());
                out.writeLong(kept.lsn());
                out.writeInt(kept.bytes().length);
                out.write(kept.bytes());
            } catch (IOException e) {
                throw new PgOutputException("could not write to spill file " + file + " (is the disk full?): "
                        + e.getMessage(), e);
            }
            long written = 17L + kept.bytes().length;
            fileBytes += written;
            spilledBytes += written;
            peakSpilledBytes = Math.max(peakSpilledBytes, spilledBytes);
        }

        Replay replay() {
            if (out == null) {
                memoryUsed -= memoryBytes;
                return new Replay(this, memory.iterator(), null);
            }
            try {
                out.close();
                out = null;
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), IO_BUFFER_BYTES));
                return new Replay(this, null, in);
            } catch (IOException e) {
                Path lost = file;
                deleteFile();
                throw new PgOutputException("could not read back spill file " + lost + ": " + e.getMessage(), e);
            }
        }

        void discard() {
            if (memory != null) {
                memoryUsed -= memoryBytes;
                memory = null;
            }
            deleteFile();
        }

        void deleteFile() {
            if (file == null) {
                return;
            }
            try {
                if (out != null) {
                    out.close();
                    out = null;
                }
            } catch (IOException e) {
                LOG.debug("Closing spill file {}: {}", file, e.toString());
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Could not remove spill file {}: {}", file, e.toString());
            }
            spilledBytes -= fileBytes;
            fileBytes = 0;
            file = null;
        }
    }

    /**
     * The kept messages of one transaction in arrival order, without those of aborted subtransactions
     * (schema messages are always kept: later changes may rely on them).
     */
    final class Replay implements AutoCloseable {
        private final Spool spool;
        private final java.util.Iterator<Kept> memory;
        private final DataInputStream in;
        private Kept current;

        private Replay(Spool spool, java.util.Iterator<Kept> memory, DataInputStream in) {
            this.spool = spool;
            this.memory = memory;
            this.in = in;
        }

        /** The replication origin of the transaction, or null. */
        String origin() {
            return spool.origin;
        }

        /** Moves to the next message to deliver; false at the end. */
        boolean next() {
            while (true) {
                Kept kept = read();
                if (kept == null) {
                    current = null;
                    return false;
                }
                if (kept.schema() || !spool.abortedSubs.contains(kept.subXid())) {
                    current = kept;
                    return true;
                }
            }
        }

        private Kept read() {
            if (memory != null) {
                return memory.hasNext() ? memory.next() : null;
            }
            try {
                int subXid;
                try {
                    subXid = in.readInt();
                } catch (EOFException end) {
                    return null;
                }
                boolean schema = in.readBoolean();
                long lsn = in.readLong();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return new Kept(subXid, schema, lsn, bytes);
            } catch (IOException e) {
                throw new PgOutputException("could not read spill file " + spool.file + ": " + e.getMessage(), e);
            }
        }

        /** The current message's XLogData LSN. */
        long lsn() {
            return current.lsn();
        }

        /** The current message, as an ordinary (not streamed) pgoutput message. */
        ByteBuffer payload() {
            return ByteBuffer.wrap(current.bytes());
        }

        @Override
        public void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    LOG.debug("Closing spill file {}: {}", spool.file, e.toString());
                }
            }
            spool.deleteFile();
        }
    }
}
