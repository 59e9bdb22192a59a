package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.SnapshotMode;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.spi.SnapshotSession;
import dev.pgoutput.spi.TransportProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running reader: the engine thread ({@link EngineLoop}) that fills the {@link DeliveryQueue}, and
 * the consumer side that takes events out and acknowledges them ({@link AcknowledgementTracker}).
 *
 * <p>The consumer side may be used from any thread, one at a time; {@link #acknowledge(long)},
 * {@link #acknowledgeAll()}, {@link #stop()} and {@link #close()} from any thread at any time.
 */
public final class ReplicationSession implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplicationSession.class);

    private final ReaderConfig config;
    private final AcknowledgementTracker tracker;
    private final DeliveryQueue queue;
    private final EngineLoop loop;
    private final Thread engineThread;
    /** Streamed and prepared transactions waiting for their outcome; null when neither was requested. */
    private final TransactionSpools spools;

    // Consumer-side state, guarded by this.
    private boolean ended;
    private boolean closed;

    private ReplicationSession(ReaderConfig config, AcknowledgementTracker tracker, DeliveryQueue queue, EngineLoop loop,
                               TransactionSpools spools) {
        this.config = config;
        this.tracker = tracker;
        this.queue = queue;
        this.loop = loop;
        this.spools = spools;
        this.engineThread = new Thread(loop, "pgoutput-reader-" + config.stream().slot());
        this.engineThread.setDaemon(true);
    }

    /**
     * Connects, checks the server's setup, starts replication and the engine thread.
     *
     * @throws ReplicationSetupException when the server is not set up for this reader
     */
    public static ReplicationSession open(ReaderConfig config, String libraryVersion) {
        DecoderProvider decoderProvider = ProviderSelection.decoder(config.decoder());
        TransportProvider transport = ProviderSelection.transport();
        // Stateless: one decoder serves the reader's whole life, across reconnects and spill files.
        PgOutputDecoder decoder = decoderProvider.create();
        TransactionSpools spools = config.keepsTransactions()
                ? TransactionSpools.open(config.buffers().spillDirectory(), config.buffers().spillMemory(), decoder)
                : null;
        AcknowledgementTracker tracker = new AcknowledgementTracker(config.delivery().autoAcknowledge());
        Handshake.Opened opened;
        try {
            opened = Handshake.open(config, transport, true, config.snapshot().wanted());
        } catch (RuntimeException e) {
            if (spools != null) {
                spools.close();
            }
            throw e;
        }
        List<SnapshotSession> sessions = new ArrayList<>();
        try {
            SnapshotState state = new SnapshotState(config.snapshot().state());
            if (opened.created() != null && config.snapshot().wanted()) {
                // Before the replication connection's next command, which ends the exported snapshot.
                for (int i = 0; i < config.snapshot().parallelism(); i++) {
                    sessions.add(opened.connection().importSnapshot(opened.created().snapshotName()));
                }
                state.started(config.stream().slot(), Lsn.format(opened.created().consistentPoint()));
            } else if (config.snapshot().wanted()) {
                refuseSnapshotOfExistingSlot(config, state);
            }
            Handshake.Described described = Handshake.describe(opened, config);
            DeliveryQueue queue = new DeliveryQueue(config.buffers().capacity(), config.buffers().bytes());
            EngineLoop loop = new EngineLoop(config, transport, decoder, tracker, queue, described);
            RelationCache relations = new RelationCache(described.typeNames(), opened.connection().typeCatalog(),
                    config.stream().tables());
            SourceFactory sources = new SourceFactory(libraryVersion, config.serverName(), config.connection().database());
            loop.assembler(new EventAssembler(relations, sources, loop, config.delivery().skippedOperations(), spools,
                    config.delivery().early()));
            InitialSnapshot snapshot = null;
            if (!sessions.isEmpty()) {
                snapshot = new InitialSnapshot(sessions, config.stream().slot(), opened.created().consistentPoint(),
                        relations, config.stream().publications(), opened.serverVersion() >= 140000,
                        new SnapshotDelivery(sources, queue, tracker, loop.snapshotWaiting()));
                loop.snapshot(snapshot, state, config.snapshot().mode() == SnapshotMode.INITIAL_ONLY);
                snapshot.start();
            }
            ReplicationSession session = new ReplicationSession(config, tracker, queue, loop, spools);
            session.engineThread.start();
            return session;
        } catch (RuntimeException e) {
            sessions.forEach(SnapshotSession::close);
            if (opened.created() != null) {
                // A start that fails after creating the slot leaves none behind.
                try {
                    opened.connection().dropSlot(config.stream().slot(), Duration.ofSeconds(10));
                } catch (RuntimeException dropFailed) {
                    e.addSuppressed(dropFailed);
                }
            }
            opened.connection().close();
            if (spools != null) {
                spools.close();
            }
            throw e;
        }
    }

    /**
     * A snapshot was asked for but the slot exists, so there is no exported snapshot to copy under: fine
     * for INITIAL (nothing to copy) unless an earlier copy into this slot was interrupted; never for
     * INITIAL_ONLY.
     */
    private static void refuseSnapshotOfExistingSlot(ReaderConfig config, SnapshotState state) {
        String slot = config.stream().slot();
        if (slot.equals(state.interruptedSlot())) {
            throw new ReplicationSetupException(ReplicationSetupException.Problem.SLOT_CREATION,
                    "the initial snapshot of slot \"" + slot + "\" was interrupted (recorded in " + state.file()
                            + "): the slot streams only what came after the snapshot, so the rows the copy did not "
                            + "deliver would be missing",
                    "start over: SELECT pg_drop_replication_slot('" + slot + "'); then remove " + state.file(), null);
        }
        if (config.snapshot().mode() == SnapshotMode.INITIAL_ONLY) {
            throw new ReplicationSetupException(ReplicationSetupException.Problem.SLOT_CREATION,
                    "snapshot(INITIAL_ONLY) copies under the snapshot of a slot it creates, but slot \"" + slot
                            + "\" exists",
                    "use a slot name that does not exist (the slot is dropped after the copy)", null);
        }
        LOG.info("Slot '{}' exists: no initial snapshot, streaming from where it is", slot);
    }

    /**
     * Takes the next event, waiting at most {@code timeoutNanos} (negative: forever). Returns null on
     * timeout and once the reader has ended; throws the engine's failure after the events before it.
     * Outcomes queued before the event are passed to the listener on the way.
     */
    public ChangeEvent take(long timeoutNanos) {
        synchronized (this) {
            if (ended) {
                return null;
            }
        }
        // Asking for the next event means the previous one is handled (automatic acknowledgement only).
        tracker.acknowledgeDelivered();
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        while (true) {
            if (loop.stopping()) {
                markEnded();
                return null;
            }
            long wait = Math.min(DeliveryQueue.WAIT_SLICE_NANOS, deadline - System.nanoTime());
            if (wait <= 0) {
                return null;
            }
            DeliveryQueue.Item item;
            try {
                item = queue.poll(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgOutputException("interrupted while waiting for a change event", e);
            }
            if (item instanceof DeliveryQueue.EventItem e) {
                tracker.deliveredEvent(e.event().source().lsn());
                return e.event();
            }
            if (item instanceof DeliveryQueue.OutcomeItem o) {
                // In order with the events: every event before it was taken, none after it yet.
                boolean handled = false;
                try {
                    config.delivery().outcomes().accept(o.outcome());
                    handled = true;
                } finally {
                    tracker.deliveredOutcome(o.outcome().lsn(), handled);
                }
            } else if (item instanceof DeliveryQueue.End) {
                markEnded();
                Throwable t = loop.failure();
                if (t != null) {
                    throw t instanceof PgOutputException p ? p : new PgOutputException("replication failed: " + t, t);
                }
                return null;
            }
        }
    }

    private synchronized void markEnded() {
        ended = true;
    }

    /** Whether the reader has ended (stopped, closed or failed) and has nothing more to deliver. */
    public synchronized boolean isEnded() {
        return ended;
    }

    /** Acknowledges everything delivered so far. */
    public void acknowledgeAll() {
        tracker.acknowledgeAll();
    }

    /**
     * Acknowledges the delivered events up to and including the last delivered one whose LSN is at most
     * {@code lsn}.
     */
    public void acknowledge(long lsn) {
        tracker.acknowledge(lsn);
    }

    /** Bytes of messages behind the events waiting in the buffer. */
    public long bufferedBytes() {
        return queue.bytes();
    }

    /** The position reported (or about to be reported) to the server as flushed. */
    public long flushedLsn() {
        return tracker.flushLsn();
    }

    /** Ends delivery: the engine thread stops and the iterator ends. */
    public void stop() {
        loop.stop();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        loop.stop();
        try {
            engineThread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loop.initialSnapshot() != null) {
            loop.initialSnapshot().close();
        }
        Handshake.Link link = loop.link();
        try {
            if (!engineThread.isAlive() && link != null) {
                // The engine thread is gone, so this thread may use the stream: report the final position.
                long flush = tracker.flushLsn();
                if (flush > 0) {
                    link.stream().sendStatusUpdate();
                    LOG.debug("Final flush position for slot '{}': {}", config.stream().slot(), Lsn.format(flush));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not send the final status update for slot '{}': {}", config.stream().slot(), e.toString());
        } finally {
            if (link != null) {
                link.stream().close();
            }
            loop.connection().close();
            if (spools != null && !engineThread.isAlive()) {
                spools.close();
            }
        }
    }
}
