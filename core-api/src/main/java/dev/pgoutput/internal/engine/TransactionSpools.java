package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.spi.PgOutputDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the messages of transactions whose outcome is not known yet: transactions the server streams
 * while they are in progress (pgoutput's {@code streaming}), and prepared transactions (two-phase)
 * waiting for COMMIT PREPARED. Each transaction's messages are kept decoded, in arrival order, while all
 * of them together fit the memory budget, and in a {@link SpillFile} of their own beyond it, so a
 * transaction of any size passes through a bounded heap. Only what comes back from a file is decoded
 * again, by the engine's decoder.
 *
 * <p>Files are removed when their transaction is delivered, aborted or discarded, when the reader
 * closes, and at start-up (left over from a process that died). Engine thread only.
 */
final class TransactionSpools implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionSpools.class);
    private static final String LOCK_FILE = ".lock";

    private final Path directory;
    private final long memoryBudget;
    private final PgOutputDecoder decoder;
    private final Map<Integer, Spool> spools = new HashMap<>();
    private long memoryUsed;
    private long spilledBytes;
    private long peakSpilledBytes;
    private long fileCounter;

    /** Held while this reader uses the directory, so that a second reader cannot share it. */
    private FileChannel lock;

    /**
     * @param decoder decodes what comes back from a spill file
     */
    TransactionSpools(Path directory, long memoryBudget, PgOutputDecoder decoder) {
        this.directory = directory;
        this.memoryBudget = memoryBudget;
        this.decoder = decoder;
    }

    /**
     * Takes the spill directory for one reader: creates it, locks it against other readers (in this
     * process or another) and removes the spill files a reader that died left in it.
     *
     * @throws ConfigurationException when another reader holds the directory
     */
    static TransactionSpools open(Path directory, long memoryBudget, PgOutputDecoder decoder) {
        TransactionSpools spools = new TransactionSpools(directory, memoryBudget, decoder);
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
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SpillFile.SUFFIX)) {
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
        discard(xid);
        spools.put(xid, new Spool(xid));
    }

    /** Starts keeping messages of {@code xid} unless they already are. */
    void continueOrStart(int xid) {
        spools.computeIfAbsent(xid, Spool::new);
    }

    /**
     * Keeps one message of the top-level transaction {@code xid}.
     *
     * @throws PgOutputException when nothing is being kept for {@code xid}
     */
    void add(int xid, KeptMessage kept) {
        Spool spool = spools.get(xid);
        if (spool == null) {
            throw new PgOutputException("streamed change for transaction " + Integer.toUnsignedString(xid)
                    + " arrived without its Stream Start");
        }
        spool.add(kept);
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
        if (subXid == xid) {
            discard(xid);
            return;
        }
        Spool spool = spools.get(xid);
        if (spool != null) {
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

    /** The kept messages of one transaction: in memory, or in a file once it spilled. */
    private final class Spool {
        final int xid;
        final Set<Integer> abortedSubs = new HashSet<>();
        String origin;
        List<KeptMessage> memory = new ArrayList<>();
        long memoryBytes;
        SpillFile file;

        Spool(int xid) {
            this.xid = xid;
        }

        void add(KeptMessage kept) {
            long cost = kept.heapCost();
            if (file == null && memoryUsed + cost > memoryBudget) {
                spill();
            }
            if (file == null) {
                memory.add(kept);
                memoryBytes += cost;
                memoryUsed += cost;
            } else {
                written(file.append(kept));
            }
        }

        /** Moves what is in memory to a new file; everything after goes to the file too. */
        private void spill() {
            file = SpillFile.create(directory, "xid-" + Integer.toUnsignedString(xid) + "-" + (++fileCounter));
            written(file.bytes());
            LOG.debug("Transaction {} exceeds the memory budget of {} bytes; spilling to {}",
                    Integer.toUnsignedString(xid), memoryBudget, file.path());
            for (KeptMessage kept : memory) {
                written(file.append(kept));
            }
            releaseMemory();
        }

        private void written(long bytes) {
            spilledBytes += bytes;
            peakSpilledBytes = Math.max(peakSpilledBytes, spilledBytes);
        }

        private void releaseMemory() {
            memoryUsed -= memoryBytes;
            memoryBytes = 0;
            memory = null;
        }

        Replay replay() {
            if (file == null) {
                Iterator<KeptMessage> kept = memory.iterator();
                releaseMemory();
                return new Replay(this, kept);
            }
            try {
                file.startReading();
            } catch (RuntimeException e) {
                deleteFile();
                throw e;
            }
            return new Replay(this, null);
        }

        void discard() {
            if (memory != null) {
                releaseMemory();
            }
            deleteFile();
        }

        void deleteFile() {
            if (file != null) {
                spilledBytes -= file.bytes();
                file.delete();
                file = null;
            }
        }
    }

    /**
     * The kept messages of one transaction in arrival order, without those of aborted subtransactions
     * (schema messages are always kept: later changes may rely on them).
     */
    final class Replay implements AutoCloseable {
        private final Spool spool;
        private final Iterator<KeptMessage> memory;
        private KeptMessage current;

        private Replay(Spool spool, Iterator<KeptMessage> memory) {
            this.spool = spool;
            this.memory = memory;
        }

        /** The replication origin of the transaction, or null. */
        String origin() {
            return spool.origin;
        }

        /** Moves to the next message to deliver; false at the end. */
        boolean next() {
            KeptMessage kept;
            do {
                kept = memory != null ? (memory.hasNext() ? memory.next() : null) : readBack();
            } while (kept != null && leftOut(kept.schema(), kept.subXid()));
            current = kept;
            return kept != null;
        }

        private boolean leftOut(boolean schema, int subXid) {
            return !schema && spool.abortedSubs.contains(subXid);
        }

        /** The next message from the file that is delivered, decoded again; null at the end. */
        private KeptMessage readBack() {
            while (true) {
                SpillRecordCodec.Record record = spool.file.next();
                if (record == null) {
                    return null;
                }
                if (!leftOut(record.schema(), record.subXid())) {
                    ByteBuffer bytes = ByteBuffer.wrap(record.bytes());
                    return new KeptMessage(decoder.decode(bytes, record.lsn(), record.streamBlock()), record.lsn(),
                            record.subXid(), record.streamBlock(), bytes);
                }
            }
        }

        /** The current message. */
        KeptMessage current() {
            return current;
        }

        @Override
        public void close() {
            spool.deleteFile();
        }
    }
}
