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
import java.nio.file.Path;
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
    /** Incremental snapshots; null when the server cannot carry their watermarks. */
    private final IncrementalSnapshot incremental;
    private final int serverVersion;
    private final int protocol;
    private final SnapshotProgress progress;
    private final SnapshotState state;
    private final java.util.concurrent.atomic.AtomicBoolean warnedTemporary = new java.util.concurrent.atomic.AtomicBoolean();

    // Consumer-side state, guarded by this.
    private boolean ended;
    /** The failure that ended a batch after some of its events, thrown by the next call. */
    private PgOutputException deferred;
    // For metrics(): written by the consumer thread, read by any.
    private volatile long eventsDelivered;
    private volatile long bytesDelivered;
    private volatile long firstEventNanos;
    private volatile long lastCommitToDeliveryMs = -1;
    /** Whether the consumer has passed the end of the last delivered event's transaction (see there). */
    private volatile boolean transactionComplete;
    private boolean closed;

    private ReplicationSession(ReaderConfig config, AcknowledgementTracker tracker, DeliveryQueue queue, EngineLoop loop,
                               TransactionSpools spools, IncrementalSnapshot incremental, int serverVersion,
                               int protocol, SnapshotProgress progress, SnapshotState state) {
        this.progress = progress;
        this.state = state;
        this.config = config;
        this.incremental = incremental;
        this.serverVersion = serverVersion;
        this.protocol = protocol;
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
            opened = StartRetry.open(config, () -> Handshake.open(config, transport, true, config.snapshot().wanted()));
        } catch (RuntimeException e) {
            if (spools != null) {
                spools.close();
            }
            throw e;
        }
        List<SnapshotSession> sessions = new ArrayList<>();
        try {
            String slot = config.stream().slot();
            SnapshotState state = new SnapshotState(config.snapshot().state());
            state.checkSlot(slot);
            if (config.snapshot().wanted()) {
                warnIfTemporary(state);
            }
            boolean watermarks = StreamOptions.carriesWatermarks(opened.serverVersion(), opened.protocol());
            if (opened.created() != null) {
                state.newSlot(slot);
                if (config.snapshot().wanted()) {
                    // Before the replication connection's next command, which ends the exported snapshot.
                    for (int i = 0; i < config.snapshot().parallelism(); i++) {
                        sessions.add(opened.connection().importSnapshot(opened.created().snapshotName()));
                    }
                    state.started(slot, Lsn.format(opened.created().consistentPoint()));
                }
            } else if (state.interruptedSlot() != null) {
                refuseEarlyDelivery(config, state);
                InterruptedCopy.finishIncrementally(config, opened, state, watermarks);
            } else if (!state.pending().isEmpty() && refuseEarlyDelivery(config, state)) {
                throw new IllegalStateException("unreachable");
            } else if (config.snapshot().mode() == SnapshotMode.INITIAL_ONLY) {
                throw new ReplicationSetupException(ReplicationSetupException.Problem.SLOT_CREATION,
                        "snapshot(INITIAL_ONLY) copies under the snapshot of a slot it creates, but slot \"" + slot
                                + "\" exists",
                        "use a slot name that does not exist (the slot is dropped after the copy)", null);
            } else if (config.snapshot().wanted()) {
                LOG.info("Slot '{}' exists: no initial snapshot, streaming from where it is", slot);
            }
            Handshake.Described described = Handshake.describe(opened, config);
            DeliveryQueue queue = new DeliveryQueue(config.buffers().capacity(), config.buffers().bytes(),
                    config.stream().slot());
            EngineLoop loop = new EngineLoop(config, transport, decoder, tracker, queue, described);
            RelationCache relations = new RelationCache(described.typeNames(), opened.connection().typeCatalog(),
                    config.stream().tables());
            SourceFactory sources = new SourceFactory(libraryVersion, config.serverName(), config.connection().database());
            EventAssembler assembler = new EventAssembler(relations, sources, loop,
                    config.delivery().skippedOperations(), spools, config.delivery().early());
            loop.assembler(assembler);
            SnapshotProgress progress = new SnapshotProgress();
            IncrementalSnapshot incremental = null;
            if (watermarks) {
                WatermarkWindow window = new WatermarkWindow(java.util.UUID.randomUUID().toString(), relations,
                        sources, loop, tracker::enqueuedCount, loop);
                assembler.watermarks(window, config.stream().messages());
                ChunkReader chunks = new ChunkReader(() -> loop.connection().openChunkSession(), window,
                        config.stream().binary(), config.stream().publications(), config.stream().tables());
                incremental = new IncrementalSnapshot(slot, chunks, state, tracker, loop::ended, loop::fail, progress);
                loop.incremental(incremental);
            }
            InitialSnapshot snapshot = null;
            if (!sessions.isEmpty()) {
                snapshot = new InitialSnapshot(sessions, slot, opened.created().consistentPoint(),
                        relations, config.stream().publications(), opened.serverVersion() >= 140000,
                        config.stream().binary(),
                        new SnapshotDelivery(sources, queue, tracker, loop.snapshotWaiting(), progress), progress,
                        opened.connection()::openChunkSession);
                loop.snapshot(snapshot, state, config.snapshot().mode() == SnapshotMode.INITIAL_ONLY);
                snapshot.start();
            }
            if (incremental != null) {
                incremental.resume(state.pending());
            }
            ReplicationSession session = new ReplicationSession(config, tracker, queue, loop, spools, incremental,
                    opened.serverVersion(), opened.protocol(), progress, state);
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

    /** A snapshot's progress kept under the temporary directory may not survive a reboot or a new container. */
    private static void warnIfTemporary(SnapshotState state) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (state.file().toAbsolutePath().startsWith(tmp)) {
            LOG.warn("Snapshot progress is kept in {}, under the temporary directory: if it is lost (a reboot, a new "
                    + "container) an interrupted snapshot cannot be finished; choose a lasting place with "
                    + "snapshotState(...)", state.file());
        }
    }

    /**
     * Early delivery cannot serve incremental snapshots (a chunk leaves out only what committed
     * transactions changed between its watermarks): a restart that owes one refuses it.
     *
     * @return false when delivery is on commit
     */
    private static boolean refuseEarlyDelivery(ReaderConfig config, SnapshotState state) {
        EventAssembler.Delivery early = config.delivery().early();
        if (early.uncommittedStreams() || early.onPrepare()) {
            throw new dev.pgoutput.api.ConfigurationException("snapshot state " + state.file() + " owes snapshots "
                    + "that are finished incrementally, which cannot be combined with "
                    + (early.uncommittedStreams() ? "deliverUncommitted(true)" : "deliverOnPrepare(true)")
                    + ": start this reader without it until they are done");
        }
        return false;
    }

    /**
     * Takes the next event, waiting at most {@code timeoutNanos} (negative: forever). Returns null on
     * timeout and once the reader has ended; throws the engine's failure after the events before it.
     * Outcomes queued before the event are passed to the listener on the way.
     */
    public ChangeEvent take(long timeoutNanos) {
        // Asking for the next event means the previous one is handled (automatic acknowledgement only).
        tracker.acknowledgeDelivered();
        return (ChangeEvent) next(timeoutNanos, false);
    }

    /** The end of a transaction, as {@link #takeForTransactions} gives it: its commit record's end. */
    public record Commit(long endLsn) {
    }

    /**
     * Like {@link #take}, for a consumer that reads transactions: gives each transaction's {@link Commit}
     * after its events too.
     *
     * @return a {@link ChangeEvent}, a {@link Commit}, or null
     */
    public Object takeForTransactions(long timeoutNanos) {
        tracker.acknowledgeDelivered();
        return next(timeoutNanos, true);
    }

    /** How many items the application was given so far: the number of the last one. */
    public long delivered() {
        return tracker.deliveredCount();
    }

    /** Acknowledges every item given so far up to number {@code item}. */
    public void acknowledgeThrough(long item) {
        tracker.acknowledgeThrough(item);
    }

    /** Whether events may come before their transaction committed (then transactions cannot be told apart). */
    public boolean deliversEarly() {
        EventAssembler.Delivery early = config.delivery().early();
        return early.uncommittedStreams() || early.onPrepare();
    }

    /**
     * Takes a batch: waits at most {@code timeoutNanos} for the first event, then adds those already
     * waiting, up to {@code maxEvents}. With automatic acknowledgement, asking for a batch acknowledges the
     * previous one (not the events of this one). A failure after some events is thrown by the next call.
     */
    public List<ChangeEvent> takeBatch(int maxEvents, long timeoutNanos) {
        tracker.acknowledgeDelivered();
        ChangeEvent first = (ChangeEvent) next(timeoutNanos, false);
        if (first == null) {
            return List.of();
        }
        List<ChangeEvent> batch = new ArrayList<>(Math.min(maxEvents, 1024));
        batch.add(first);
        try {
            ChangeEvent e;
            while (batch.size() < maxEvents && (e = (ChangeEvent) next(0, false)) != null) {
                batch.add(e);
            }
        } catch (PgOutputException failure) {
            synchronized (this) {
                deferred = failure;
            }
        }
        return batch;
    }

    private Object next(long timeoutNanos, boolean commits) {
        synchronized (this) {
            if (deferred != null) {
                PgOutputException failure = deferred;
                deferred = null;
                throw failure;
            }
            if (ended) {
                return null;
            }
        }
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        boolean looked = false;
        while (true) {
            if (loop.stopping()) {
                Throwable failed = loop.failure();
                if (failed == null || queue.isEmpty()) {
                    // Stopped: nothing more. Failed: the events before the failure first, then the failure.
                    markEnded();
                    if (failed != null) {
                        throw failed instanceof PgOutputException p ? p
                                : new PgOutputException("replication failed: " + failed, failed);
                    }
                    return null;
                }
            }
            long wait = Math.min(DeliveryQueue.WAIT_SLICE_NANOS, deadline - System.nanoTime());
            if (wait <= 0) {
                if (looked) {
                    return null;
                }
                wait = 0;   // a zero timeout still takes what is there
            }
            looked = true;
            DeliveryQueue.Item item;
            try {
                item = queue.poll(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgOutputException("interrupted while waiting for a change event", e);
            }
            if (item instanceof DeliveryQueue.EventItem e) {
                tracker.deliveredEvent(e.event().source().lsn());
                count(e);
                transactionComplete = endsItself(e.event());
                return e.event();
            }
            if (item instanceof DeliveryQueue.CommitItem c) {
                // The queue marks a commit right after its transaction's last event: everything of it was taken.
                transactionComplete = true;
                if (commits) {
                    return new Commit(c.endLsn());
                }
                java.util.function.LongConsumer ends = config.delivery().transactionEnds();
                if (ends != null) {
                    // In order with the events: the transaction's last event was taken, nothing after it yet.
                    ends.accept(c.endLsn());
                }
            } else if (item instanceof DeliveryQueue.OutcomeItem o) {
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

    /**
     * Whether an event is a transaction by itself, with no commit marked after it in the queue: a logical
     * decoding message outside any transaction, or the last row of an initial snapshot (whose rows are one
     * transaction without a commit).
     */
    private static boolean endsItself(ChangeEvent e) {
        dev.pgoutput.api.Source s = e.source();
        if (e.op() == dev.pgoutput.api.Op.MESSAGE && s.txId() == null && s.commitLsn() == 0) {
            return true;
        }
        return e.op() == dev.pgoutput.api.Op.READ && "last".equals(s.snapshot());
    }

    /**
     * Whether the consumer took every event of the last delivered event's transaction: the commit the queue
     * marks after it was passed by a {@link #take} (or the event is a transaction by itself). False while
     * more events of it may follow, before the first event, and when events come before their commit.
     */
    public boolean transactionComplete() {
        return transactionComplete && !deliversEarly();
    }

    private void count(DeliveryQueue.EventItem e) {
        if (firstEventNanos == 0) {
            firstEventNanos = System.nanoTime();
        }
        eventsDelivered++;   // one consumer thread at a time: no lost update
        bytesDelivered += e.bytes();
        lastCommitToDeliveryMs = System.currentTimeMillis() - e.event().source().tsMs();
    }

    /** What the reader has done and how far behind it is, now. */
    public dev.pgoutput.api.ReaderMetrics metrics() {
        long events = eventsDelivered;
        long first = firstEventNanos;
        double seconds = first == 0 ? 0 : (System.nanoTime() - first) / 1e9;
        long walEnd = loop.walEndLsn();
        long received = loop.receivedLsn();
        long lastMessage = loop.lastMessageNanos();
        long commitLag = lastCommitToDeliveryMs;
        SnapshotProgress.Figures f = progress.current();
        return new dev.pgoutput.api.ReaderMetrics(events, bytesDelivered,
                seconds <= 0 ? 0 : events / Math.max(seconds, 1e-3), queue.size(), queue.bytes(), walEnd, received,
                tracker.flushLsn(), Math.max(0, walEnd - received),
                commitLag < 0 ? null : Duration.ofMillis(Math.max(0, commitLag)),
                lastMessage == 0 ? null : Duration.ofNanos(System.nanoTime() - lastMessage), loop.reconnects(),
                loop.lastError(), f == null ? null : new dev.pgoutput.api.ReaderMetrics.Snapshot(f.kind(), f.table(),
                        f.rowsDone(), f.rowsEstimated(), f.rowsPerSecond(), f.age(), f.retainedWalBytes()));
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

    /**
     * Queues an incremental snapshot of {@code tables}; the stage completes once the rows of the last chunk
     * were delivered, or exceptionally with the reason it cannot be taken.
     */
    public java.util.concurrent.CompletionStage<dev.pgoutput.api.SnapshotSummary> snapshotTables(List<String> tables) {
        if (incremental == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new ReplicationSetupException(
                    ReplicationSetupException.Problem.SERVER_VERSION, "incremental snapshots need PostgreSQL 14 or "
                    + "newer with protocol version 2 or higher (their watermarks are logical decoding messages), but "
                    + "the server is " + ProtocolNegotiation.describe(serverVersion) + " speaking protocol " + protocol,
                    serverVersion < 140000 ? "upgrade the server, or take an initial snapshot with a new slot"
                            : "remove protocolVersion(" + protocol + ")", null));
        }
        EventAssembler.Delivery early = config.delivery().early();
        if (early.uncommittedStreams() || early.onPrepare()) {
            return java.util.concurrent.CompletableFuture.failedFuture(new dev.pgoutput.api.ConfigurationException(
                    "snapshotTables cannot be combined with " + (early.uncommittedStreams() ? "deliverUncommitted(true)"
                    : "deliverOnPrepare(true)") + ": a chunk can only leave out the rows that committed "
                    + "transactions changed between its watermarks"));
        }
        if (isEnded() || loop.ended()) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new PgOutputException("the reader has ended: no incremental snapshot"));
        }
        if (warnedTemporary.compareAndSet(false, true)) {
            warnIfTemporary(state);
        }
        return incremental.request(tables);
    }

    /** The figures of the snapshot running now (initial or incremental), or null when none runs. */
    public SnapshotProgress.Figures snapshotProgress() {
        return progress.current();
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
        if (incremental != null) {
            incremental.close();
        }
        try {
            engineThread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loop.initialSnapshot() != null) {
            loop.initialSnapshot().close();
        }
        if (!engineThread.isAlive()) {
            loop.settleProgress();   // what was acknowledged since the engine last looked
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
