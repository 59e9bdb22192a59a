package dev.pgoutput.internal.engine;

import dev.pgoutput.spi.ReplicationConnection;
import dev.pgoutput.spi.ReplicationStream;
import dev.pgoutput.spi.StreamRequest;
import dev.pgoutput.spi.TransportProvider;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one replication link: connects, checks that the server is set up for this reader, chooses the
 * protocol version, checks every requested pgoutput feature against the server and starts streaming from
 * the slot's confirmed position. Done at start and again after every reconnect.
 */
final class Handshake {

    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

    /** One established replication connection with its running stream. */
    record Link(ReplicationConnection connection, ReplicationStream stream, Duration statusInterval,
                Map<Integer, String> typeNames) {
    }

    private Handshake() {
    }

    /**
     * @param flushPosition what the stream reports as flushed in its status updates
     * @throws dev.pgoutput.api.ReplicationSetupException when the server is not set up for this reader
     */
    static Link connect(ReaderConfig config, TransportProvider transport, LongSupplier flushPosition) {
        StreamOptions stream = config.stream();
        ReplicationConnection connection = transport.connect(config.connection());
        try {
            connection.verifySetup(stream.slot(), stream.publications());
            int serverVersion = connection.serverVersionNum();
            int protocol = ProtocolNegotiation.choose(stream.protocolVersion(), serverVersion);
            Map<String, String> options = stream.pluginOptions(serverVersion, protocol);
            Map<Integer, String> typeNames = connection.builtinTypeNames();
            Duration statusInterval = statusInterval(config.link().statusInterval(), connection.walSenderTimeout());
            ReplicationStream started = connection.startReplication(new StreamRequest(stream.slot(), 0L, options,
                    statusInterval, config.link().receiveTimeout(), flushPosition));
            LOG.info("Streaming slot '{}' (publications {}, protocol {}, server {})", stream.slot(),
                    stream.publications(), protocol, serverVersion);
            return new Link(connection, started, statusInterval, typeNames);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * The status interval actually used: the configured one, but at most a third of the server's
     * {@code wal_sender_timeout}. While the application is slow the engine stops reading, so the
     * server's keepalive requests go unanswered; only our own timely status updates keep the session.
     */
    static Duration statusInterval(Duration configured, Duration walSenderTimeout) {
        if (walSenderTimeout.isZero() || walSenderTimeout.isNegative()) {
            return configured;
        }
        Duration third = walSenderTimeout.dividedBy(3);
        if (third.compareTo(configured) < 0) {
            LOG.info("Sending status updates every {} ms, a third of the server's wal_sender_timeout ({} ms)",
                    third.toMillis(), walSenderTimeout.toMillis());
            return third;
        }
        return configured;
    }
}
