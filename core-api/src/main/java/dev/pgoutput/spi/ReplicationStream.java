package dev.pgoutput.spi;

/**
 * The CopyBoth stream of a running replication. Not thread-safe: one thread reads, and the same thread
 * sends status updates.
 *
 * <p>The flush position reported to the server is not kept here: the stream reads it from
 * {@link StreamRequest#flushPosition()} each time it sends a status update, on its own schedule or when
 * asked, so that the application's acknowledgements have one owner.
 */
public interface ReplicationStream extends AutoCloseable {

    /**
     * Returns the next XLogData frame if one has arrived, or {@code null} at once if none has. Keepalive
     * messages are handled inside (answered when the server asks), and status updates are sent when
     * their interval has passed.
     *
     * @throws dev.pgoutput.api.ReplicationConnectionException when the connection is lost
     */
    XLogData read();

    /**
     * The server's WAL position from the last keepalive or XLogData frame, used to let an idle slot
     * advance once everything before it is acknowledged.
     */
    long serverWalEnd();

    /** Sends a status update now. */
    void sendStatusUpdate();

    /**
     * Sends a status update now if the flush position moved since the last one sent.
     *
     * @return whether one was sent
     */
    boolean sendStatusUpdateIfFlushMoved();

    /** Ends replication; never throws. */
    @Override
    void close();
}
