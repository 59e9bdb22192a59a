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
 * Opens one replication link, in steps, because a new slot's exported snapshot lives only until the
 * replication connection's next command: {@link #open} connects, checks that the server is set up for
 * this reader, chooses the protocol version, checks every requested pgoutput feature against the server
 * and (on request) creates the slot; then the snapshot may be imported elsewhere; {@link #describe} reads
 * what the engine needs from the catalog; {@link #start} starts streaming. {@link #connect} does all three,
 * as at every reconnect.
 */
final class Handshake {

    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

    /** A connection whose setup was checked, and the slot it created (null when the slot existed). */
    record Opened(ReplicationConnection connection, int serverVersion, int protocol, Map<String, String> options,
                  CreatedSlot created) {
    }

    /** An opened connection with what was read from its catalog, ready to stream. */
    record Described(Opened opened, Duration statusInterval, Map<Integer, String> typeNames) {
    }

    /** One established replication connection with its running stream. */
    record Link(ReplicationConnection connection, ReplicationStream stream, Duration statusInterval,
                Map<Integer, String> typeNames) {
    }

    private Handshake() {
    }

    /**
     * Connects, describes and starts streaming from the slot's confirmed position.
     *
     * @param first whether this is the reader's start (a missing slot may be created only then)
     * @throws ReplicationSetupException when the server is not set up for this reader
     */
    static Link connect(ReaderConfig config, TransportProvider transport, LongSupplier flushPosition, boolean first) {
        Opened opened = open(config, transport, first, false);
        try {
            return start(describe(opened, config), config, flushPosition);
        } catch (RuntimeException e) {
            opened.connection().close();
            throw e;
        }
    }

    /**
     * Connects and checks the setup; with {@code createSlot(true)} (or a snapshot) at the start, a missing
     * slot is created, exporting its snapshot when {@code exportSnapshot}. After an export nothing else is
     * sent on the connection, so that the snapshot can be imported.
     */
    static Opened open(ReaderConfig config, TransportProvider transport, boolean first, boolean exportSnapshot) {
        StreamOptions stream = config.stream();
        ReplicationConnection connection = transport.connect(config.connection());
        try {
            int serverVersion = connection.serverVersionNum();
            int protocol = ProtocolNegotiation.choose(stream.protocolVersion(), serverVersion);
            Map<String, String> options = stream.pluginOptions(serverVersion, protocol);
            CreatedSlot created = null;
            try {
                connection.verifySetup(stream.slot(), stream.publications());
            } catch (ReplicationSetupException e) {
                // The publications are checked before the slot, so a missing slot is the only problem left.
                boolean create = first && (stream.createSlot() || exportSnapshot);
                if (!create || e.problem() != ReplicationSetupException.Problem.SLOT_MISSING) {
                    throw e;
                }
                created = connection.createSlot(new SlotRequest(stream.slot(), false, exportSnapshot,
                        stream.twoPhase() && serverVersion >= 150000, false, stream.slotCreationTimeout()));
                LOG.info("Created replication slot '{}' (consistent point {})", created.name(),
                        Lsn.format(created.consistentPoint()));
            }
            return new Opened(connection, serverVersion, protocol, options, created);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Reads the type names and the server's {@code wal_sender_timeout}. */
    static Described describe(Opened opened, ReaderConfig config) {
        ReplicationConnection connection = opened.connection();
        Map<Integer, String> typeNames = connection.builtinTypeNames();
        Duration statusInterval = statusInterval(config.link().statusInterval(), connection.walSenderTimeout());
        return new Described(opened, statusInterval, typeNames);
    }

    /** Starts streaming from the slot's confirmed position (a new slot's consistent point). */
    static Link start(Described described, ReaderConfig config, LongSupplier flushPosition) {
        Opened opened = described.opened();
        StreamOptions stream = config.stream();
        ReplicationStream started = opened.connection().startReplication(new StreamRequest(stream.slot(), 0L,
                opened.options(), described.statusInterval(), config.link().receiveTimeout(), flushPosition));
        LOG.info("Streaming slot '{}' (publications {}, protocol {}, server {})", stream.slot(),
                stream.publications(), opened.protocol(), opened.serverVersion());
        return new Link(opened.connection(), started, described.statusInterval(), described.typeNames());
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
