package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.spi.ChunkSession;
import dev.pgoutput.spi.PublishedTable;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The worker's side of one chunk: the low watermark, the chunk read in key order after the last one (in
 * the stream's format, so that its keys compare with the stream's), the high watermark. Owns the worker's
 * connection, opened when first needed and opened again after a failure. Worker thread only.
 */
final class ChunkReader implements AutoCloseable {

    /** Chunk rows wait in memory until their high watermark: a chunk ends early once it holds this much. */
    static final long MAX_CHUNK_BYTES = 32L << 20;

    /** The read stopped because the chunk is full. */
    private static final class ChunkFull extends RuntimeException {
        ChunkFull() {
            super(null, null, false, false);
        }
    }

    private final Supplier<ChunkSession> sessions;
    private final WatermarkWindow window;
    private final boolean binary;
    private final List<String> publications;
    private final Set<String> includedTables;
    private ChunkSession session;

    /**
     * @param binary whether the stream's tuples are binary: chunks are read the same way
     */
    ChunkReader(Supplier<ChunkSession> sessions, WatermarkWindow window, boolean binary, List<String> publications,
                Set<String> includedTables) {
        this.sessions = sessions;
        this.window = window;
        this.binary = binary;
        this.publications = List.copyOf(publications);
        this.includedTables = includedTables;
    }

    ChunkSession session() {
        if (session == null) {
            session = sessions.get();
        }
        return session;
    }

    /** Forgets the connection after a failure: the next call opens another. */
    void reset() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /**
     * The table as published, checked: published, not left out by {@code tables(...)}, with a key whose
     * columns are published.
     *
     * @throws ReplicationSetupException when it cannot be snapshotted incrementally (permanent)
     */
    IncrementalTable resolve(String name) {
        PublishedTable table = session().publishedTables(publications).stream()
                .filter(t -> t.qualifiedName().equals(name)).findFirst()
                .orElseThrow(() -> refused("table " + name + " is not published by " + publications
                        + " (a qualified name such as public.users, as the publication lists it)",
                        "ALTER PUBLICATION " + publications.get(0) + " ADD TABLE " + name));
        if (!includedTables.isEmpty() && !includedTables.contains(name)) {
            throw refused("table " + name + " is left out by this reader's tables(...)", "add it to tables(...)");
        }
        List<String> keys = session().keyColumns(table);
        if (keys.isEmpty()) {
            throw refused("table " + name + " has no primary key or replica identity index, so an incremental "
                    + "snapshot cannot tell which of its rows the stream changed meanwhile",
                    "ALTER TABLE " + name + " ADD PRIMARY KEY (…), or use an initial snapshot for it");
        }
        int[] indexes = new int[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            indexes[k] = -1;
            for (int c = 0; c < table.columns().size(); c++) {
                if (table.columns().get(c).name().equals(keys.get(k))) {
                    indexes[k] = c;
                }
            }
            if (indexes[k] < 0) {
                throw refused("key column " + keys.get(k) + " of table " + name
                        + " is not in the publication's column list", "add it to the publication's column list");
            }
        }
        return new IncrementalTable(table, keys, indexes);
    }

    static ReplicationSetupException refused(String problem, String remedy) {
        return new ReplicationSetupException(ReplicationSetupException.Problem.SNAPSHOT,
                "incremental snapshot refused: " + problem, remedy, null);
    }

    /**
     * Reads one chunk of at most {@code size} rows (fewer when it reaches {@link #MAX_CHUNK_BYTES})
     * between its watermarks, and hands it to the window; returns it once its rows are ready. On failure
     * the window forgets it.
     */
    IncrementalChunk read(long number, IncrementalTable table, List<String> after, int size) {
        IncrementalChunk chunk = new IncrementalChunk(number, table, after, binary);
        window.expect(chunk);
        try {
            ChunkSession s = session();
            s.emitWatermark(WatermarkWindow.PREFIX, window.watermark(number, true));
            long started = System.nanoTime();
            int columns = table.published().columns().size();
            try {
                if (binary) {
                    CopyBinaryRows rows = new CopyBinaryRows(columns + table.keyColumns().size());
                    s.copyChunk(table.published(), table.keyColumns(), after, size, true,
                            message -> rows.read(message, row -> add(chunk, row)));
                } else {
                    s.copyChunk(table.published(), table.keyColumns(), after, size, false,
                            line -> add(chunk, CopyTextRow.parse(line, columns)));
                }
            } catch (ChunkFull full) {
                chunk.cutShort();
            }
            chunk.ready(System.nanoTime() - started);
            s.emitWatermark(WatermarkWindow.PREFIX, window.watermark(number, false));
            return chunk;
        } catch (Throwable t) {
            chunk.fail();
            window.forget(chunk);
            throw t;
        }
    }

    private static void add(IncrementalChunk chunk, TupleData row) {
        chunk.add(row);
        if (chunk.bytes() > MAX_CHUNK_BYTES) {
            throw new ChunkFull();
        }
    }

    /** The slot's retained WAL, or -1 when it cannot be read. */
    long retainedWal(String slot) {
        try {
            return session().retainedWal(slot);
        } catch (PgOutputException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        reset();
    }
}
