package dev.pgoutput.spi;

import java.util.List;

/**
 * An ordinary database connection for an incremental snapshot: it reads the published tables from the
 * catalog, writes watermarks into the WAL as transactional logical decoding messages, and copies one chunk
 * of a table at a time in key order. Each call is its own transaction, so that a watermark is committed
 * before the chunk's read begins and the next one after it ends. Not thread-safe: one thread per session.
 */
public interface ChunkSession extends AutoCloseable {

    /** The tables the publications publish, each once, in name order. */
    List<PublishedTable> publishedTables(List<String> publications);

    /**
     * The columns a chunk is ordered and bounded by: the table's replica identity index when it names one,
     * otherwise its primary key, in index order; empty when it has neither.
     */
    List<String> keyColumns(PublishedTable table);

    /**
     * Writes a transactional logical decoding message in a transaction of its own
     * ({@code pg_logical_emit_message(true, prefix, content)}) and returns once it is committed.
     */
    void emitWatermark(String prefix, String content);

    /**
     * Copies at most {@code limit} rows of the table's published columns that pass its row filter and come
     * after {@code after} in key order ({@code WHERE (k1, k2) > (…) ORDER BY k1, k2 LIMIT n}), with
     * {@code COPY … TO STDOUT}, in a transaction of its own whose snapshot sees every transaction that
     * committed before it began: a snapshot taken while a committed transaction is still finishing (it has
     * written its commit but is not yet visible) is dropped and taken again.
     *
     * <p>In text format each row is one line, its key columns' text among the published columns. In binary
     * format ({@code FORMAT binary}, values in their send form as a binary stream has them) each row has the
     * published columns and then the key columns again as text, for the next chunk's bound; the sink gets
     * CopyData messages.
     *
     * @param keyColumns the key, from {@link #keyColumns}
     * @param after      the text form of the previous chunk's last key, one value per key column, or null
     *                   for the table's start
     * @return the number of lines or messages received
     */
    long copyChunk(PublishedTable table, List<String> keyColumns, List<String> after, int limit, boolean binary,
                   SnapshotSession.RowSink rows);

    /** How many bytes of WAL the slot holds back ({@code pg_current_wal_lsn() - restart_lsn}); -1 when unknown. */
    long retainedWal(String slot);

    /** Ends the connection; never throws. */
    @Override
    void close();
}
