package dev.pgoutput.transport.pgjdbc;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees that the server closed the connection, which pgjdbc's non-blocking read cannot tell from silence:
 * at the end of the stream it answers "nothing pending" for ever, so a restarted or killed server would be
 * noticed only when a status update fails to be written, seconds later. The probe peeks at the next byte
 * with a 1 ms timeout: a timeout is silence, the end of the stream (or a reset) is a lost connection, and a
 * byte stays where it is for the next read — unless it is a CommandComplete, which pgjdbc leaves unread after a
 * clean end of the stream (see {@link #closed()}). It reaches pgjdbc's stream by reflection (the driver offers no
 * other way); where that fails it says so once and never reports a loss, leaving detection to the writes.
 */
final class ClosedConnectionProbe {

    private static final Logger LOG = LoggerFactory.getLogger(ClosedConnectionProbe.class);

    /** The message type of CommandComplete. */
    private static final int COMMAND_COMPLETE = 'C';

    private final PGStream stream;

    private ClosedConnectionProbe(PGStream stream) {
        this.stream = stream;
    }

    static ClosedConnectionProbe of(Connection connection) {
        try {
            Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
            Field field = QueryExecutorBase.class.getDeclaredField("pgStream");
            field.setAccessible(true);
            return new ClosedConnectionProbe((PGStream) field.get(executor));
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
            LOG.info("A closed replication connection will be noticed at the next status update only: {}",
                    e.toString());
            return new ClosedConnectionProbe(null);
        }
    }

    /** Whether the server has closed the connection. Engine thread only (it uses the connection's stream). */
    boolean closed() {
        if (stream == null) {
            return false;
        }
        int timeout;
        try {
            timeout = stream.getNetworkTimeout();
        } catch (IOException e) {
            return true;
        }
        try {
            stream.setNetworkTimeout(1);
            // A walsender that ends its stream cleanly (a fast shutdown) sends CopyDone and CommandComplete
            // and exits; pgjdbc's non-blocking read takes the CopyDone and leaves the CommandComplete in its
            // buffer, unread for ever, so the end of the stream behind it is never reached. Nothing but the
            // end of the stream follows a CommandComplete here.
            return stream.peekChar() == COMMAND_COMPLETE;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                stream.setNetworkTimeout(timeout);
            } catch (IOException e) {
                LOG.debug("Restoring the replication connection's timeout: {}", e.toString());
            }
        }
    }
}
