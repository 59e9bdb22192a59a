package dev.pgoutput.spi;

import java.nio.ByteBuffer;

/**
 * The CopyBoth stream of a running replication. Not thread-safe: one thread reads, and the same thread
 * reports positions.
 */
public interface ReplicationStream extends AutoCloseable {

    /**
     * Returns the next XLogData payload if one has arrived, or {@code null} at once if none has. Keepalive
     * messages are handled inside (answered when the server asks).
     *
     * @throws dev.pgoutput.api.ReplicationConnectionException when the connection is lost
     */
    ByteBuffer readPending();

    /** The start LSN of the payload last returned by {@link #readPending()}. */
    long lastReceivedLsn();

    /**
     * The server's WAL position from the last keepalive or XLogData frame, used to let an idle slot
     * advance once everything before it is acknowledged.
     */
    long lastServerWalEnd();

    /**
     * Sets the position reported as written, flushed and applied in status updates. Never pass a
     * position the application has not acknowledged.
     */
    void setFlushedLsn(long lsn);

    /** Sends a status update now. */
    void sendStatusUpdate();

    /** Ends replication; never throws. */
    @Override
    void close();
}
