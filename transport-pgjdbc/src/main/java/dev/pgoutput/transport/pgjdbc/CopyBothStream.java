package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.internal.jfr.StatusUpdateEvent;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.spi.ReplicationStream;
import dev.pgoutput.spi.XLogData;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.postgresql.copy.CopyDual;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication sub-protocol over pgjdbc's CopyBoth operation: XLogData ({@code 'w'}) and Primary
 * keepalive ({@code 'k'}) frames in, Standby status updates ({@code 'r'}) out.
 *
 * <p><b>Why not pgjdbc's {@code PGReplicationStream}.</b> It answers keepalives inside and never tells
 * its caller that a frame arrived, and its status updates never ask the server for a reply. So a
 * connection that is silently dropped (a dead NAT entry, a firewall that blackholes the path, a
 * pulled cable) looks exactly like an idle server: nothing arrives, writes still go into the kernel's
 * buffer, and the reader would wait for the TCP retransmission timeout, about 15 minutes on Linux. This
 * class follows the rule of the server's own walreceiver ({@code wal_receiver_timeout}): when nothing
 * has arrived for half the receive timeout, the status update asks for a reply; when nothing has
 * arrived for the whole timeout, the connection is declared lost, which the engine treats as a
 * transient failure and reconnects. pgjdbc is still the transport underneath (authentication, TLS,
 * the CopyBoth framing); only the frames inside CopyData are ours.
 *
 * <p><b>Time spent not reading does not count.</b> When the application is slow the engine stops
 * calling {@link #read()} (backpressure); frames then wait in the socket, and the silence
 * measured must restart when reading resumes, or a slow consumer would look like a dead server.
 *
 * <p>A frame is never split by a timeout: pgjdbc reads a CopyData only once its first byte is there,
 * and then reads the rest with the connection's network timeout, which the connection sets to the
 * receive timeout, so a path that dies in the middle of a frame fails the read instead of hanging it.
 */
final class CopyBothStream implements ReplicationStream {

    private static final Logger LOG = LoggerFactory.getLogger(CopyBothStream.class);

    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** XLogData header: type, start LSN, WAL end, send time. */
    private static final int XLOG_DATA_HEADER = 1 + 8 + 8 + 8;
    /** Primary keepalive: type, WAL end, send time, reply requested. */
    private static final int KEEPALIVE_SIZE = 1 + 8 + 8 + 1;
    /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01. */
    private static final long PG_EPOCH_OFFSET_MICROS = 946_684_800_000_000L;

    /** How often silence is checked for a closed connection: each check may wait 1 ms. */
    private static final long PROBE_INTERVAL_NANOS = 100_000_000L;

    private final CopyDual copy;
    private final String slot;
    private final String user;
    private final long statusIntervalNanos;
    private final long receiveTimeoutNanos;
    /** A status update frame, reused: writes are never concurrent. */
    private final byte[] status = new byte[1 + 8 + 8 + 8 + 8 + 1];

    /** The application's acknowledged position, owned by the engine; read for every status update. */
    private final LongSupplier flushPosition;
    private long lastReceived;
    private long serverWalEnd;
    /** The flush position in the last status update sent, so that an idle reader sends only progress. */
    private long lastSentFlush;
    private long lastStatusNanos;
    private long lastFrameNanos;
    private long lastPollNanos;
    private boolean pingSent;
    /** Tells a connection the server closed from silence, which the non-blocking read cannot. */
    private final ClosedConnectionProbe probe;
    private long lastProbeNanos;
    /** Set once a read or write failed or the server went silent: the copy cannot be ended politely. */
    private boolean broken;

    CopyBothStream(CopyDual copy, String slot, String user, Duration statusInterval, Duration receiveTimeout,
                   LongSupplier flushPosition, ClosedConnectionProbe probe) {
        this.copy = copy;
        this.probe = probe;
        this.flushPosition = flushPosition;
        this.slot = slot;
        this.user = user;
        this.statusIntervalNanos = statusInterval.toNanos();
        this.receiveTimeoutNanos = receiveTimeout.toNanos();
        long now = System.nanoTime();
        this.lastStatusNanos = now;
        this.lastFrameNanos = now;
        this.lastPollNanos = now;
    }

    @Override
    public XLogData read() {
        long now = System.nanoTime();
        if (receiveTimeoutNanos > 0 && now - lastPollNanos > receiveTimeoutNanos / 2) {
            // The engine was not reading (backpressure): the server's frames waited in the socket.
            lastFrameNanos = now;
            pingSent = false;
        }
        lastPollNanos = now;
        if (now - lastStatusNanos >= statusIntervalNanos) {
            // On schedule also while frames keep arriving: the server learns our flush position only so.
            sendStatus(false);
        }
        while (true) {
            byte[] frame = readFrame();
            if (frame == null) {
                onSilence(now);
                return null;
            }
            lastFrameNanos = System.nanoTime();
            pingSent = false;
            if (frame.length >= XLOG_DATA_HEADER && frame[0] == 'w') {
                long start = (long) INT64.get(frame, 1);
                long walEnd = (long) INT64.get(frame, 9);
                lastReceived = start;
                serverWalEnd = Math.max(serverWalEnd, walEnd);
                return new XLogData(start, walEnd, (long) INT64.get(frame, 17),
                        ByteBuffer.wrap(frame, XLOG_DATA_HEADER, frame.length - XLOG_DATA_HEADER));
            }
            if (frame.length >= KEEPALIVE_SIZE && frame[0] == 'k') {
                long sent = (long) INT64.get(frame, 1);
                serverWalEnd = Math.max(serverWalEnd, sent);
                if (frame[17] != 0) {
                    answerPing(sent);
                }
                continue;
            }
            throw new ReplicationConnectionException("unexpected replication frame from the server: type "
                    + (frame.length == 0 ? "<empty>" : "'" + (char) (frame[0] & 0xff) + "'") + ", " + frame.length
                    + " bytes", false, null);
        }
    }

    private byte[] readFrame() {
        try {
            return copy.readFromCopy(false);
        } catch (SQLException e) {
            broken = true;
            throw SqlErrors.onStream(e, slot, user);
        }
    }

    /** Nothing arrived: keep our side of the status schedule and watch for a dead connection. */
    private void onSilence(long now) {
        if (probe != null && now - lastProbeNanos >= PROBE_INTERVAL_NANOS) {
            lastProbeNanos = now;
            if (!copy.isActive()) {
                // The server ended the copy (CopyDone, as a walsender does when the server shuts down).
                broken = true;
                throw new ReplicationConnectionException("the server ended the replication stream (a shutdown or "
                        + "restart)", true, null);
            }
            if (probe.closed()) {
                broken = true;
                throw new ReplicationConnectionException("the server closed the replication connection (a restart, "
                        + "a shutdown, or the walsender ended)", true, null);
            }
        }
        if (receiveTimeoutNanos > 0) {
            long silent = now - lastFrameNanos;
            if (silent >= receiveTimeoutNanos) {
                broken = true;
                throw new ReplicationConnectionException("nothing received from the server for "
                        + silent / 1_000_000 + " ms (receiveTimeout " + receiveTimeoutNanos / 1_000_000
                        + " ms), even after asking it to reply; the connection is presumed lost", true, null);
            }
            if (silent >= receiveTimeoutNanos / 2 && !pingSent) {
                LOG.debug("Nothing received for {} ms; asking the server to reply", silent / 1_000_000);
                sendStatus(true);
                pingSent = true;
                return;
            }
        }
    }

    @Override
    public long serverWalEnd() {
        return Math.max(serverWalEnd, lastReceived);
    }

    @Override
    public void sendStatusUpdate() {
        sendStatus(false);
    }

    @Override
    public boolean sendStatusUpdateIfFlushMoved() {
        if (flushPosition.getAsLong() > lastSentFlush) {
            sendStatus(false);
            return true;
        }
        return false;
    }

    /**
     * Answers a keepalive that asks for a reply. A walsender that is shutting down sends these and ends only once
     * its client reports everything it sent ({@code walEnd}) as replicated: the flush position when the client
     * gives one, otherwise the write position (how pg_receivewal-like clients answer). Reporting the
     * application's flush position would hold a fast shutdown for as long as the application keeps events
     * unacknowledged, up to {@code wal_sender_timeout}. So while acknowledgement lags behind what was sent, the
     * answer says "received up to walEnd" with no flush position: the server moves the slot only for a valid
     * flush position, so nothing unacknowledged is confirmed, and the next regular update gives the flush
     * position again.
     */
    private void answerPing(long walEnd) {
        long flushed = Math.max(lastSentFlush, flushPosition.getAsLong());
        if (flushed >= walEnd) {
            sendStatus(false);
            return;
        }
        long received = Math.max(Math.max(lastReceived, walEnd), flushed);
        write(received, 0L, false);
        LOG.debug("Answered the server's ping with received {} and no flush position (acknowledged {})",
                Lsn.format(received), Lsn.format(flushed));
    }

    /**
     * Writes a Standby status update: received, flushed and applied positions and the clock. Received is
     * the last XLogData's start (what pgjdbc reported too); flushed and applied are the engine's flush
     * position, never beyond what the application acknowledged.
     */
    private void sendStatus(boolean replyRequested) {
        // Never backwards within one stream, whatever the engine's holds do meanwhile.
        long flushed = Math.max(lastSentFlush, flushPosition.getAsLong());
        write(Math.max(lastReceived, flushed), flushed, replyRequested);
        lastSentFlush = Math.max(lastSentFlush, flushed);
    }

    /** Writes one status update; {@code flushed} 0 means none (the server then leaves the slot alone). */
    private void write(long received, long flushed, boolean replyRequested) {
        byte[] frame = status;
        frame[0] = 'r';
        INT64.set(frame, 1, received);
        INT64.set(frame, 9, flushed);
        INT64.set(frame, 17, flushed);
        INT64.set(frame, 25, System.currentTimeMillis() * 1000L - PG_EPOCH_OFFSET_MICROS);
        frame[33] = (byte) (replyRequested ? 1 : 0);
        try {
            copy.writeToCopy(frame, 0, frame.length);
            copy.flushCopy();
        } catch (SQLException e) {
            broken = true;
            throw SqlErrors.onStream(e, slot, user);
        }
        lastStatusNanos = System.nanoTime();
        StatusUpdateEvent event = new StatusUpdateEvent();
        if (event.shouldCommit()) {
            event.slot = slot;
            event.received = Lsn.format(received);
            event.flushed = Lsn.format(flushed);
            event.replyRequested = replyRequested;
            event.commit();
        }
    }

    /**
     * Ends the copy politely (CopyDone) when the connection is healthy. A connection presumed lost is
     * left to the connection's close: CopyDone would wait for an answer that cannot come.
     */
    @Override
    public void close() {
        if (broken) {
            return;
        }
        try {
            if (copy.isActive()) {
                copy.endCopy();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Ending the replication stream failed: {}", e.toString());
        }
    }
}
