package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.spi.CreatedSlot;
import dev.pgoutput.spi.ReplicationConnection;
import dev.pgoutput.spi.ReplicationStream;
import dev.pgoutput.spi.SlotRequest;
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
    static Link connect(ReaderConfig config, TransportProvider transport, LongSupplier flushPosition,
                        boolean first) {
        StreamOptions stream = config.stream();
        ReplicationConnection connection = transport.connect(config.connection());
        try {
            int serverVersion = connection.serverVersionNum();
            int protocol = ProtocolNegotiation.choose(stream.protocolVersion(), serverVersion);
            verifyOrCreate(connection, stream, serverVersion, protocol, first);
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
     * Checks the server's setup; with {@code createSlot(true)}, a slot missing at the start is created
     * first. Only at the start: a slot that disappears while the reader runs took the changes since with
     * it, and making a new one would hide that. Everything that could fail after the creation (the
     * options for this server, the publications) is checked before it or removes the slot again, so a
     * failed start leaves no slot behind.
     */
    private static void verifyOrCreate(ReplicationConnection connection, StreamOptions stream, int serverVersion,
                                       int protocol, boolean first) {
        try {
            connection.verifySetup(stream.slot(), stream.publications());
            return;
        } catch (ReplicationSetupException e) {
            if (!first || !stream.createSlot() || e.problem() != ReplicationSetupException.Problem.SLOT_MISSING) {
                throw e;
            }
        }
        stream.pluginOptions(serverVersion, protocol);
        CreatedSlot created = connection.createSlot(new SlotRequest(stream.slot(), false, false,
                stream.twoPhase() && serverVersion >= 150000, false, stream.slotCreationTimeout()));
        LOG.info("Created replication slot '{}' (consistent point {})", created.name(),
                Lsn.format(created.consistentPoint()));
        try {
            connection.verifySetup(stream.slot(), stream.publications());
        } catch (RuntimeException e) {
            try {
                connection.dropSlot(stream.slot(), Duration.ofSeconds(10));
            } catch (RuntimeException dropFailed) {
                e.addSuppressed(dropFailed);
            }
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
