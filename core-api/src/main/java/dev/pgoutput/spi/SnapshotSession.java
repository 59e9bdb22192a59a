package dev.pgoutput.spi;

import java.util.List;

/**
 * One database connection inside a transaction that imported a slot's exported snapshot, so that what it
 * reads is the database exactly as of the slot's consistent point. Every session of one snapshot sees the
 * same rows. Not thread-safe: one thread per session.
 */
public interface SnapshotSession extends AutoCloseable {

    /** Receives the rows of a copy, one COPY text-format line each (with its trailing newline). */
    interface RowSink {
        /** One row; the array is the caller's to keep. */
        void row(byte[] line);
    }

    /** The tables the publications publish, each once, in name order. */
    List<PublishedTable> publishedTables(List<String> publications);

    /** The oldest transaction the snapshot still sees as running: the snapshot's xmin. */
    long snapshotXmin();

    /**
     * Copies the published columns of the table's rows that pass its row filter, with {@code COPY … TO
     * STDOUT} in text format, optionally only those in a range of pages (by CTID, PostgreSQL 14+).
     *
     * @param fromPage first page of the range, or -1 for the table's start
     * @param toPage   page after the range, or -1 for the table's end
     * @return the number of rows copied
     */
    long copy(PublishedTable table, long fromPage, long toPage, RowSink rows);

    /** Ends the transaction and the connection; never throws. */
    @Override
    void close();
}
