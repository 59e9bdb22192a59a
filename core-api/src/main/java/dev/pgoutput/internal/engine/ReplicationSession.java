package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReconnectPolicy;
import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.spi.ReplicationConnection;
import dev.pgoutput.spi.ReplicationStream;
import dev.pgoutput.spi.StreamRequest;
import dev.pgoutput.spi.TransportProvider;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running reader: a thread that reads the replication stream, decodes and assembles events into a
 * bounded queue, and the consumer side that takes them out and acknowledges them.
 *
 * <p>The bounded queue is the backpressure: when the application is slow the engine thread waits for
 * room instead of reading on, and while it waits it keeps sending status updates so that the server's
 * {@code wal_sender_timeout} does not end the session.
 */
public final class ReplicationSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSession.class);

    /** Queue marker: the engine thread has ended (see {@link #failure}). */
    private static final Object END = new Object();
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * How often the consumer looks again before it parks on an empty queue. Parking costs the engine
     * thread a wake-up (a futex call) for the next event; when events come just a little slower than the
     * application takes them, that happens for nearly every event. Measured on W1 (bench e2e, scale 0.5,
     * two runs each, both decoders): 8.9 → 7.9 µs of CPU per event, about 10 % more events/s. A few
     * microseconds of spinning at most, and only while the queue is empty.
     */
    private static final int SPINS_BEFORE_PARKING = 2_000;
    private static final long MAX_IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Rough heap cost of an event beyond its message bytes (event, source, rows). */
    private static final int EVENT_OVERHEAD_BYTES = 256;

    /** A queued event with the bytes it holds, so that the consumer can give them back. */
    private record Queued(ChangeEvent event, int bytes) {
    }

    private final ReaderConfig config;
    private final DecoderProvider decoderProvider;
    private final TransportProvider transport;
    // The current link; replaced by the engine thread on reconnect, read by close() after it ended.
    private volatile ReplicationConnection connection;
    private volatile ReplicationStream stream;
    private PgOutputDecoder decoder;
    private final EventAssembler assembler;
    /** Streamed and prepared transactions waiting for their outcome; null when neither was requested. */
    private final TransactionSpools spools;
    private final AcknowledgementTracker tracker = new AcknowledgementTracker();
    private final ArrayBlockingQueue<Object> queue;
    /** Bytes of the messages behind the queued events; bounded by the configured byte budget. */
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Size of the message being assembled, charged to each event it produces. */
    private int currentMessageBytes;
    private final Thread engineThread;
    private final long statusIntervalNanos;

    private volatile boolean stopping;
    private volatile Throwable failure;
    /** Set while closing: the engine only reads on to the Commit of a wholly acknowledged transaction. */
    private volatile boolean draining;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    // Engine-thread state.
    private long reportedFlush;
    private long lastStatusNanos;

    // Consumer-side state, guarded by consumerLock.
    private final Object consumerLock = new Object();
    private long delivered;
    private final ArrayDeque<long[]> unacknowledged = new ArrayDeque<>();
    private boolean ended;
    private boolean closed;

    private ReplicationSession(ReaderConfig config, DecoderProvider decoderProvider, TransportProvider transport,
                               Link link, String version, TransactionSpools spools) {
        this.config = config;
        this.decoderProvider = decoderProvider;
        this.transport = transport;
        this.connection = link.connection();
        this.stream = link.stream();
        this.decoder = new dev.pgoutput.spi.MessageSequenceDecoder(decoderProvider.create());
        Map<Integer, String> typeNames = link.typeNames();
        this.queue = new ArrayBlockingQueue<>(config.bufferCapacity());
        this.statusIntervalNanos = link.statusInterval().toNanos();
        RelationCache relations = new RelationCache(typeNames, connection.typeCatalog(), config.tables());
        SourceFactory sources = new SourceFactory(version, config.serverName(), config.connection().database());
        this.spools = spools;
        this.assembler = new EventAssembler(relations, sources, new EventAssembler.Sink() {
            @Override
            public void event(ChangeEvent event) {
                enqueue(event);
            }

            @Override
            public void commit(long endLsn) {
                tracker.onCommit(endLsn);
            }

            @Override
            public void hold(int xid, long lsn) {
                tracker.hold(xid, lsn);
            }

            @Override
            public void release(int xid) {
                tracker.release(xid);
            }

            @Override
            public void replaying(int messageBytes) {
                currentMessageBytes = messageBytes + EVENT_OVERHEAD_BYTES;
            }

            @Override
            public void outcome(TransactionOutcome outcome) {
                enqueueOutcome(outcome);
            }
        }, config.skippedOperations(), spools, (message, lsn) -> decoder.decode(message, lsn),
                new EventAssembler.Delivery(config.deliverUncommitted(), config.deliverOnPrepare()));
        this.engineThread = new Thread(this::runEngine, "pgoutput-reader-" + config.slot());
        this.engineThread.setDaemon(true);
    }

    /** One established replication connection with its running stream. */
    private record Link(ReplicationConnection connection, ReplicationStream stream, Duration statusInterval,
                        Map<Integer, String> typeNames) {
    }

    /**
     * Connects, checks the server's setup, starts replication and the engine thread.
     *
     * @throws ReplicationSetupException when the server is not set up for this reader
     */
    public static ReplicationSession open(ReaderConfig config, String libraryVersion) {
        DecoderProvider decoderProvider = ProviderSelection.decoder(config.decoder());
        TransportProvider transport = ProviderSelection.transport();
        TransactionSpools spools = config.streaming() || config.twoPhase()
                ? TransactionSpools.open(config.spillDirectory(), config.spillMemory()) : null;
        Link link;
        try {
            link = connect(config, transport);
        } catch (RuntimeException e) {
            if (spools != null) {
                spools.close();
            }
            throw e;
        }
        ReplicationSession session = new ReplicationSession(config, decoderProvider, transport, link, libraryVersion,
                spools);
        session.engineThread.start();
        return session;
    }

    /** Connects, verifies the setup and starts streaming from the slot's confirmed position. */
    private static Link connect(ReaderConfig config, TransportProvider transport) {
        ReplicationConnection connection = transport.connect(config.connection());
        try {
            connection.verifySetup(config.slot(), config.publications());
            int serverVersion = connection.serverVersionNum();
            int protocol = ProtocolNegotiation.choose(config.protocolVersion(), serverVersion);
            Map<String, String> options = new LinkedHashMap<>();
            options.put("proto_version", Integer.toString(protocol));
            options.put("publication_names", PublicationNames.quote(config.publications()));
            if (config.messages()) {
                ProtocolNegotiation.requireServer(serverVersion, 140000, "messages(true)");
                options.put("messages", "true");
            }
            if (config.origin() != null) {
                ProtocolNegotiation.requireServer(serverVersion, 160000, "origin(\"" + config.origin() + "\")");
                options.put("origin", config.origin());
            }
            if (config.binary()) {
                ProtocolNegotiation.requireServer(serverVersion, 140000, "binary(true)");
                options.put("binary", "true");
            }
            if (config.parallelStreaming()) {
                ProtocolNegotiation.requireServer(serverVersion, 160000, "parallelStreaming(true)");
                ProtocolNegotiation.requireProtocol(protocol, 4, "parallelStreaming(true)");
                options.put("streaming", "parallel");
            } else if (config.streaming()) {
                ProtocolNegotiation.requireServer(serverVersion, 140000, "streaming(true)");
                ProtocolNegotiation.requireProtocol(protocol, 2, "streaming(true)");
                options.put("streaming", "true");
            }
            if (config.twoPhase()) {
                ProtocolNegotiation.requireServer(serverVersion, 150000, "twoPhase(true)");
                ProtocolNegotiation.requireProtocol(protocol, 3, "twoPhase(true)");
                options.put("two_phase", "true");
            }
            Map<Integer, String> typeNames = connection.builtinTypeNames();
            Duration statusInterval = statusInterval(config.statusInterval(), connection.walSenderTimeout());
            ReplicationStream stream = connection.startReplication(
                    new StreamRequest(config.slot(), 0L, options, statusInterval, config.receiveTimeout()));
            LOG.info("Streaming slot '{}' (publications {}, protocol {}, server {})", config.slot(),
                    config.publications(), protocol, serverVersion);
            return new Link(connection, stream, statusInterval, typeNames);
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

    // ---------------------------------------------------------------- engine thread

    private void runEngine() {
        try {
            while (!stopping) {
                try {
                    pump();
                } catch (ReplicationConnectionException e) {
                    if (stopping || !e.isTransient() || !config.reconnect().enabled()) {
                        throw e;
                    }
                    assembler.onConnectionLost();
                    stream.close();
                    connection.close();
                    reconnect(e);
                    assembler.reportRestarts();
                }
            }
            finishAcknowledgedTransaction();
        } catch (StopSignal e) {
            // stop() while waiting for room in the queue, or a change arrived while draining.
        } catch (Throwable t) {
            if (!stopping) {
                failure = t;
                LOG.error("Replication from slot '{}' failed: {}", config.slot(), t.toString());
            }
        } finally {
            while (true) {
                try {
                    if (queue.offer(END, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS) || stopping) {
                        break;
                    }
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
    }

    /**
     * Reconnects after a transient failure, with the configured backoff. A setup failure on the way
     * (the slot was dropped, the password changed) is permanent and ends the reader.
     */
    private void reconnect(ReplicationConnectionException cause) {
        ReconnectPolicy policy = config.reconnect();
        for (int attempt = 1; ; attempt++) {
            if (!policy.allows(attempt)) {
                throw new ReplicationConnectionException("gave up reconnecting slot '" + config.slot() + "' after "
                        + (attempt - 1) + " attempts: " + cause.getMessage(), false, cause);
            }
            Duration delay = policy.delayBefore(attempt);
            LOG.warn("Replication connection for slot '{}' lost ({}); reconnect attempt {} in {} ms", config.slot(),
                    cause.getMessage(), attempt, delay.toMillis());
            long until = System.nanoTime() + delay.toNanos();
            while (System.nanoTime() < until) {
                if (stopping) {
                    throw new StopSignal();
                }
                LockSupport.parkNanos(Math.min(WAIT_SLICE_NANOS, until - System.nanoTime()));
            }
            try {
                Link link = connect(config, transport);
                connection = link.connection();
                stream = link.stream();
                decoder = new dev.pgoutput.spi.MessageSequenceDecoder(decoderProvider.create());
                reportedFlush = 0;
                LOG.info("Reconnected slot '{}' after {} attempt(s)", config.slot(), attempt);
                return;
            } catch (ReplicationConnectionException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                cause = e;
            }
        }
    }

    /** Reads, decodes and assembles until stopped; throws when the connection fails. */
    private void pump() {
        lastStatusNanos = System.nanoTime();
        int idleRounds = 0;
        while (!stopping) {
            ByteBuffer payload = stream.readPending();
            if (payload == null) {
                onIdle();
                // Back off gently while idle: a short park keeps latency low under load.
                LockSupport.parkNanos(Math.min(MAX_IDLE_PARK_NANOS, 50_000L << Math.min(idleRounds++, 8)));
                continue;
            }
            idleRounds = 0;
            currentMessageBytes = payload.remaining() + EVENT_OVERHEAD_BYTES;
            long lsn = stream.lastReceivedLsn();
            PgOutputMessage message = decoder.decode(payload, lsn);
            assembler.handle(message, lsn, payload);
            reportFlushPosition(false);
        }
    }

    /**
     * On the way out: when the application acknowledged every event it got but the Commit of their
     * transaction has not been read yet, read on to that Commit (for a short while) so that the final
     * status update can move the slot past the transaction. Otherwise a new reader would get those
     * acknowledged events again. If another change of the transaction arrives first, it was never
     * delivered, so the transaction must not be confirmed: stop without it.
     */
    private void finishAcknowledgedTransaction() {
        if (!assembler.inTransaction() || !tracker.allAcknowledged()) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (assembler.inTransaction() && System.nanoTime() < deadline) {
            ByteBuffer payload = stream.readPending();
            if (payload == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                continue;
            }
            long lsn = stream.lastReceivedLsn();
            assembler.handle(decoder.decode(payload, lsn), lsn, payload);
        }
    }

    private void onIdle() {
        // Nothing in flight that the application still owes: let an idle slot follow the server's WAL
        // end so that it does not hold WAL back.
        if (!assembler.inTransaction() && queue.isEmpty()) {
            tracker.advanceIdle(stream.lastServerWalEnd());
        }
        reportFlushPosition(true);
    }

    /** Passes the acknowledged position to the stream; sends it at once when idle and it moved. */
    private void reportFlushPosition(boolean idle) {
        long flush = tracker.flushLsn();
        if (flush > reportedFlush) {
            stream.setFlushedLsn(flush);
            reportedFlush = flush;
            if (idle) {
                stream.sendStatusUpdate();
                lastStatusNanos = System.nanoTime();
            }
        }
    }

    private void enqueue(ChangeEvent event) {
        if (draining) {
            throw new StopSignal();
        }
        int bytes = currentMessageBytes;
        tracker.onEnqueued();
        // The byte budget: wait while the queue holds events and this one would exceed it.
        while (queuedBytes.get() > 0 && queuedBytes.get() + bytes > config.bufferBytes()) {
            if (stopping) {
                throw new StopSignal();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            keepSessionAlive();
        }
        queuedBytes.addAndGet(bytes);
        offer(new Queued(event, bytes));
    }

    /**
     * Queues an outcome behind the events before it. It holds no message bytes, but it is numbered like
     * an event: the slot must not move past the transaction before the application has its outcome.
     */
    private void enqueueOutcome(TransactionOutcome outcome) {
        tracker.onEnqueued();
        offer(outcome);
    }

    /** Waits for room in the queue, keeping the session alive meanwhile. */
    private void offer(Object item) {
        try {
            while (!queue.offer(item, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
                if (stopping) {
                    throw new StopSignal();
                }
                keepSessionAlive();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopSignal();
        }
    }

    /** The application is slow: we stop reading, but the server must still hear from us. */
    private void keepSessionAlive() {
        if (System.nanoTime() - lastStatusNanos >= statusIntervalNanos) {
            reportFlushPosition(false);
            stream.sendStatusUpdate();
            lastStatusNanos = System.nanoTime();
        }
    }

    /** Unwinds the engine thread when the reader stops while it waits for room. */
    private static final class StopSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopSignal() {
            super(null, null, false, false);
        }
    }

    // ---------------------------------------------------------------- consumer side

    /**
     * Takes the next event, waiting at most {@code timeoutNanos} (negative: forever). Returns null on
     * timeout and once the reader has ended; throws the engine's failure after the events before it.
     */
    public ChangeEvent take(long timeoutNanos) {
        synchronized (consumerLock) {
            if (ended) {
                return null;
            }
            if (config.autoAcknowledge() && delivered > 0) {
                // Asking for the next event means the previous one is handled.
                tracker.acknowledgeThrough(delivered);
            }
        }
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        while (true) {
            if (stopping) {
                markEnded();
                return null;
            }
            long wait = Math.min(WAIT_SLICE_NANOS, deadline - System.nanoTime());
            if (wait <= 0) {
                return null;
            }
            Object item = queue.poll();
            for (int spin = 0; item == null && spin < SPINS_BEFORE_PARKING; spin++) {
                Thread.onSpinWait();
                item = queue.poll();
            }
            try {
                if (item == null) {
                    item = queue.poll(wait, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgOutputException("interrupted while waiting for a change event", e);
            }
            if (item instanceof TransactionOutcome outcome) {
                // In order with the events: every event before it was taken, none after it yet.
                config.outcomes().accept(outcome);
                synchronized (consumerLock) {
                    delivered++;
                    if (config.autoAcknowledge()) {
                        // Handled once the listener returned.
                        tracker.acknowledgeThrough(delivered);
                    } else {
                        unacknowledged.addLast(new long[] {delivered, outcome.lsn()});
                    }
                }
                continue;
            }
            if (item == END) {
                markEnded();
                Throwable t = failure;
                if (t != null) {
                    throw asLibraryException(t);
                }
                return null;
            }
            if (item != null) {
                Queued queued = (Queued) item;
                queuedBytes.addAndGet(-queued.bytes());
                ChangeEvent event = queued.event();
                synchronized (consumerLock) {
                    delivered++;
                    if (!config.autoAcknowledge()) {
                        unacknowledged.addLast(new long[] {delivered, event.source().lsn()});
                    }
                }
                return event;
            }
        }
    }

    private void markEnded() {
        synchronized (consumerLock) {
            ended = true;
        }
    }

    /** Whether the reader has ended (stopped, closed or failed) and has nothing more to deliver. */
    public boolean isEnded() {
        synchronized (consumerLock) {
            return ended;
        }
    }

    /** Acknowledges everything delivered so far. */
    public void acknowledgeAll() {
        synchronized (consumerLock) {
            unacknowledged.clear();
            tracker.acknowledgeThrough(delivered);
        }
    }

    /**
     * Acknowledges the delivered events up to and including the last delivered one whose LSN is at most
     * {@code lsn}.
     */
    public void acknowledge(long lsn) {
        synchronized (consumerLock) {
            long through = 0;
            for (long[] e : unacknowledged) {
                if (e[1] <= lsn) {
                    through = e[0];
                }
            }
            if (config.autoAcknowledge()) {
                // Auto mode keeps no per-event record; everything before the newest event is already
                // acknowledged, so acknowledging explicitly covers all that was delivered.
                through = delivered;
            }
            if (through > 0) {
                final long seq = through;
                unacknowledged.removeIf(e -> e[0] <= seq);
                tracker.acknowledgeThrough(seq);
            }
        }
    }

    /** Bytes of messages behind the events waiting in the buffer. */
    public long bufferedBytes() {
        return queuedBytes.get();
    }

    /** The position reported (or about to be reported) to the server as flushed. */
    public long flushedLsn() {
        return tracker.flushLsn();
    }

    /** Ends delivery: the engine thread stops and the iterator ends. */
    public void stop() {
        stopping = true;
    }

    @Override
    public void close() {
        synchronized (consumerLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopping = true;
        try {
            engineThread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!engineThread.isAlive()) {
                // The engine thread is gone, so this thread may use the stream: report the final position.
                long flush = tracker.flushLsn();
                if (flush > 0) {
                    stream.setFlushedLsn(flush);
                    stream.sendStatusUpdate();
                    LOG.debug("Final flush position for slot '{}': {}", config.slot(), Lsn.format(flush));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not send the final status update for slot '{}': {}", config.slot(), e.toString());
        } finally {
            stream.close();
            connection.close();
            if (spools != null && !engineThread.isAlive()) {
                spools.close();
            }
        }
    }

    private static PgOutputException asLibraryException(Throwable t) {
        if (t instanceof PgOutputException p) {
            return p;
        }
        return new PgOutputException("replication failed: " + t, t);
    }
}
