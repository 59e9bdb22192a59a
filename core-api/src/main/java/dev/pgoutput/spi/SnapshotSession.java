package dev.pgoutput.spi;

import java.util.List;

/**
 * One database connection inside a transaction that imported a slot's exported snapshot, so that what it
 * reads is the database exactly as of the slot's consistent point. Every session of one snapshot sees the
 * same rows. Not thread-safe: one thread per session.
 */
public interface SnapshotSession extends AutoCloseable {

    /**
     * Receives a copy as it arrives: in text format one line per call (with its trailing newline); in binary
     * format one CopyData message per call (the file header in front of the first row, the end marker last).
     */
    interface RowSink {
        /** One line or message; the array is the caller's to keep. */
        void row(byte[] line);
    }

    /** The tables the publications publish, each once, in name order. */
    List<PublishedTable> publishedTables(List<String> publications);

    /** The oldest transaction the snapshot still sees as running: the snapshot's xmin. */
    long snapshotXmin();

    /**
     * Copies the published columns of the table's rows that pass its row filter, with {@code COPY … TO
     * STDOUT}, optionally only those in a range of pages (by CTID, PostgreSQL 14+).
     *
     * @param fromPage first page of the range, or -1 for the table's start
     * @param toPage   page after the range, or -1 for the table's end
     * @param binary   {@code FORMAT binary} (values in their types' send form) instead of text
     * @return the number of CopyData messages received
     */
    long copy(PublishedTable table, long fromPage, long toPage, boolean binary, RowSink rows);

    /** Ends the transaction and the connection; never throws. */
    @Override
    void close();
}
