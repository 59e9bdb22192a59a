package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.spi.ReplicationStream;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgjdbc's replication stream behind the transport interface. Uses only {@code readPending()}, never
 * the blocking {@code read()}, so that the caller decides how to wait and no socket timeout is ever
 * shortened by pgjdbc in the middle of a message.
 */
final class PgjdbcReplicationStream implements ReplicationStream {

    private static final Logger LOG = LoggerFactory.getLogger(PgjdbcReplicationStream.class);

    private final PGReplicationStream stream;
    private final String slot;
    private final String user;
    private long lastReceived;

    PgjdbcReplicationStream(PGReplicationStream stream, String slot, String user) {
        this.stream = stream;
        this.slot = slot;
        this.user = user;
    }

    @Override
    public ByteBuffer readPending() {
        try {
            ByteBuffer payload = stream.readPending();
            if (payload != null) {
                lastReceived = stream.getLastReceiveLSN().asLong();
            }
            return payload;
        } catch (SQLException e) {
            throw SqlErrors.onStream(e, slot, user);
        }
    }

    @Override
    public long lastReceivedLsn() {
        return lastReceived;
    }

    @Override
    public long lastServerWalEnd() {
        // pgjdbc raises its last-received position to a keepalive's WAL end, so this follows the server
        // while the stream is idle.
        return stream.getLastReceiveLSN().asLong();
    }

    @Override
    public void setFlushedLsn(long lsn) {
        LogSequenceNumber position = LogSequenceNumber.valueOf(lsn);
        stream.setFlushedLSN(position);
        stream.setAppliedLSN(position);
    }

    @Override
    public void sendStatusUpdate() {
        try {
            stream.forceUpdateStatus();
        } catch (SQLException e) {
            throw SqlErrors.onStream(e, slot, user);
        }
    }

    @Override
    public void close() {
        try {
            if (!stream.isClosed()) {
                stream.close();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing the replication stream failed: {}", e.toString());
        }
    }
}
