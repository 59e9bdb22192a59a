package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.ReconnectPolicy;
import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.spi.ReplicationStream;
import dev.pgoutput.spi.TransportProvider;
import dev.pgoutput.spi.XLogData;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine thread's work: read a frame, decode it, let the assembler give it meaning, and hand the
 * events to the {@link DeliveryQueue}; reconnect after a transient failure; keep the session alive while
 * the application is slow. Data flows one way, from the stream to the queue; positions flow back only
 * through the {@link AcknowledgementTracker}, which the stream reads for its status updates.
 */
final class EngineLoop implements Runnable, EventSink, DeliveryQueue.Waiting {

    private static final Logger LOG = LoggerFactory.getLogger(EngineLoop.class);
    private static final long MAX_IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long closing may read on to the Commit of a wholly acknowledged transaction. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ReaderConfig config;
    private final TransportProvider transport;
    private final PgOutputDecoder decoder;
    private final AcknowledgementTracker tracker;
    private final DeliveryQueue queue;
    private EventAssembler assembler;
    /** The first connection, checked and described; streaming starts on it (after a snapshot, if any). */
    private final Handshake.Described described;
    // The current link, null until streaming starts; replaced by the engine thread on reconnect, read by
    // close() after it ended.
    private volatile Handshake.Link link;
    /** The initial snapshot to wait for before streaming, or null. */
    private InitialSnapshot snapshot;
    private SnapshotState snapshotState;
    private boolean snapshotOnly;
    /** Set while the copied rows are not all acknowledged: the state record stays until they are. */
    private boolean snapshotOwed;
    /** Incremental snapshots, or null when the server cannot have them. */
    private IncrementalSnapshot incremental;
    /** Whether events were queued since the last commit: only such a commit is marked in the queue. */
    private boolean eventsSinceCommit;
    private long statusIntervalNanos;
    private long lastStatusNanos;

    private volatile boolean stopping;
    /** Set once the loop has ended, for whatever reason. */
    private volatile boolean ended;
    // For metrics(): written by the engine thread, read by any.
    private volatile long receivedLsn;
    private volatile long walEndLsn;
    private volatile long lastMessageNanos;
    private volatile long reconnects;
    private volatile String lastError;
    private volatile Throwable failure;
    /** Set while closing: the engine only reads on to the Commit of a wholly acknowledged transaction. */
    private volatile boolean draining;

    EngineLoop(ReaderConfig config, TransportProvider transport, PgOutputDecoder decoder,
               AcknowledgementTracker tracker, DeliveryQueue queue, Handshake.Described described) {
        this.config = config;
        this.transport = transport;
        this.decoder = decoder;
        this.tracker = tracker;
        this.queue = queue;
        this.described = described;
        this.statusIntervalNanos = described.statusInterval().toNanos();
    }

    /**
     * Streams only once {@code initial} is copied; with {@code only}, ends then instead and drops the slot
     * made for it. {@code state} records the copy until every row of it is acknowledged.
     */
    void snapshot(InitialSnapshot initial, SnapshotState state, boolean only) {
        this.snapshot = initial;
        this.snapshotState = state;
        this.snapshotOnly = only;
    }

    /** Serves incremental snapshots: records their progress as the application acknowledges it. */
    void incremental(IncrementalSnapshot snapshots) {
        this.incremental = snapshots;
    }

    /** Whether the loop has ended (stopped, closed or failed). */
    boolean ended() {
        return ended;
    }

    /** How the snapshot's workers wait for room: they end when the reader stops; the stream is not open yet. */
    DeliveryQueue.Waiting snapshotWaiting() {
        return new DeliveryQueue.Waiting() {
            @Override
            public boolean stopping() {
                return stopping;
            }

            @Override
            public void keepAlive() {
            }
        };
    }

    /** Sets the assembler that this loop feeds and that feeds this loop's sink. */
    void assembler(EventAssembler eventAssembler) {
        this.assembler = eventAssembler;
    }

    /** The current link, or null when streaming has not started. */
    Handshake.Link link() {
        return link;
    }

    /** The connection in use: the link's, or the first one while a snapshot runs. */
    dev.pgoutput.spi.ReplicationConnection connection() {
        Handshake.Link current = link;
        return current != null ? current.connection() : described.opened().connection();
    }

    /** The snapshot being copied or waited for, or null. */
    InitialSnapshot initialSnapshot() {
        return snapshot;
    }

    /** Asks the loop to end; the queue then ends too. */
    void stop() {
        stopping = true;
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    /** The position of the last message received, 0 before any. */
    long receivedLsn() {
        return receivedLsn;
    }

    /** The server's WAL end as it last said, 0 before it said. */
    long walEndLsn() {
        return walEndLsn;
    }

    /** {@link System#nanoTime()} of the last message received, 0 before any. */
    long lastMessageNanos() {
        return lastMessageNanos;
    }

    long reconnects() {
        return reconnects;
    }

    /** The last connection failure that was retried, or null. */
    String lastError() {
        Throwable failed = failure;
        return failed != null ? failed.toString() : lastError;
    }

    /** Ends the reader with {@code cause}: the consumer gets it after the events before it. */
    void fail(Throwable cause) {
        if (!stopping) {
            failure = cause;
            LOG.error("Replication from slot '{}' ends: {}", config.stream().slot(), cause.toString());
            stopping = true;
        }
    }

    /** Why the loop ended, or null when it was stopped or is still running. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            if (!startStreaming()) {
                return;
            }
            while (!stopping) {
                try {
                    pump();
                } catch (ReplicationConnectionException e) {
                    if (stopping || !e.isTransient() || !config.link().reconnect().enabled()) {
                        throw e;
                    }
                    lastError = e.getMessage();
                    assembler.onConnectionLost();
                    link.stream().close();
                    link.connection().close();
                    reconnect(e);
                    assembler.reportRestarts();
                }
            }
            finishAcknowledgedTransaction();
        } catch (DeliveryQueue.StopSignal e) {
            // stop() while waiting for room in the queue, or a change arrived while draining.
        } catch (Throwable t) {
            if (!stopping) {
                failure = t;
                LOG.error("Replication from slot '{}' failed: {}", config.stream().slot(), t.toString());
            }
        } finally {
            ended = true;
            queue.putEnd(this);
        }
    }

    /**
     * Waits for the initial snapshot, if there is one, then starts streaming on the first connection;
     * false when the reader ends instead (a snapshot-only reader).
     */
    private boolean startStreaming() {
        if (snapshot != null) {
            dev.pgoutput.api.SnapshotSummary summary = snapshot.await(this::settleCopiedTables);
            LOG.info("Initial snapshot of slot '{}' copied {} rows of {} table(s) in {} ms", config.stream().slot(),
                    summary.rows(), summary.tables().size(), summary.duration().toMillis());
            if (snapshotOnly) {
                // The rows are in the queue; the slot was only for their snapshot.
                described.opened().connection().dropSlot(config.stream().slot(), Duration.ofSeconds(10));
                snapshotState.finished();
                LOG.info("Dropped slot '{}', made for the snapshot only", config.stream().slot());
                return false;
            }
            snapshotOwed = true;
        }
        link = Handshake.start(described, config, tracker::flushLsn);
        return true;
    }

    /** Tables of the initial copy whose every row is acknowledged go on record: a restart does not copy them again. */
    private void settleCopiedTables() {
        java.util.Queue<java.util.Map.Entry<Long, String>> copied = snapshot.copiedTables();
        java.util.Map.Entry<Long, String> table;
        while ((table = copied.peek()) != null && tracker.acknowledgedThrough(table.getKey())) {
            copied.poll();
            snapshotState.tableCopied(table.getValue());
        }
    }

    /**
     * Records what the application acknowledged of the snapshots: called often on the engine thread, and
     * once by close after the thread ended.
     */
    void settleProgress() {
        if (snapshot != null) {
            settleSnapshot();
        }
        if (incremental != null) {
            incremental.settle();
        }
    }

    /** Once every copied row is acknowledged, the snapshot's record goes: a restart owes nothing. */
    private void settleSnapshot() {
        settleCopiedTables();
        if (snapshotOwed && tracker.acknowledgedThrough(snapshot.lastItem())) {
            snapshotOwed = false;
            snapshotState.finished();
        }
    }

    /**
     * Reconnects after a transient failure, with the configured backoff. A setup failure on the way
     * (the slot was dropped, the password changed) is permanent and ends the reader.
     */
    private void reconnect(ReplicationConnectionException cause) {
        ReconnectPolicy policy = config.link().reconnect();
        String slot = config.stream().slot();
        for (int attempt = 1; ; attempt++) {
            if (!policy.allows(attempt)) {
                throw new ReplicationConnectionException("gave up reconnecting slot '" + slot + "' after "
                        + (attempt - 1) + " attempts: " + cause.getMessage(), false, cause);
            }
            Duration delay = policy.delayBefore(attempt);
            LOG.warn("Replication connection for slot '{}' lost ({}); reconnect attempt {} in {} ms", slot,
                    cause.getMessage(), attempt, delay.toMillis());
            long until = System.nanoTime() + delay.toNanos();
            while (System.nanoTime() < until) {
                if (stopping) {
                    throw new DeliveryQueue.StopSignal();
                }
                LockSupport.parkNanos(Math.min(DeliveryQueue.WAIT_SLICE_NANOS, until - System.nanoTime()));
            }
            try {
                link = dev.pgoutput.internal.jfr.Recorded.connect(slot, StartRetry.server(config), "reconnect", attempt,
                        () -> Handshake.connect(config, transport, tracker::flushLsn, false));
                statusIntervalNanos = link.statusInterval().toNanos();
                reconnects++;
                LOG.info("Reconnected slot '{}' after {} attempt(s)", slot, attempt);
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
        ReplicationStream stream = link.stream();
        lastStatusNanos = System.nanoTime();
        int idleRounds = 0;
        while (!stopping) {
            XLogData frame = stream.read();
            if (frame == null) {
                onIdle(stream);
                // Back off gently while idle: a short park keeps latency low under load.
                LockSupport.parkNanos(Math.min(MAX_IDLE_PARK_NANOS, 50_000L << Math.min(idleRounds++, 8)));
                continue;
            }
            idleRounds = 0;
            handle(frame);
            settleProgress();
        }
    }

    private void handle(XLogData frame) {
        receivedLsn = frame.startLsn();
        walEndLsn = frame.walEnd();
        lastMessageNanos = System.nanoTime();
        PgOutputMessage message = decoder.decode(frame.payload(), frame.startLsn(), assembler.inStreamBlock());
        assembler.handle(message, frame.startLsn(), frame.payload());
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
        ReplicationStream stream = link.stream();
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (assembler.inTransaction() && System.nanoTime() < deadline) {
            XLogData frame = stream.read();
            if (frame == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                continue;
            }
            handle(frame);
        }
    }

    private void onIdle(ReplicationStream stream) {
        walEndLsn = Math.max(walEndLsn, stream.serverWalEnd());
        settleProgress();
        // Nothing in flight that the application still owes: let an idle slot follow the server's WAL
        // end so that it does not hold WAL back.
        if (!assembler.inTransaction() && queue.isEmpty()) {
            tracker.advanceIdle(stream.serverWalEnd());
        }
        if (stream.sendStatusUpdateIfFlushMoved()) {
            lastStatusNanos = System.nanoTime();
        }
    }

    /** The application is slow: we stop reading, but the server must still hear from us. */
    @Override
    public void keepAlive() {
        settleProgress();
        if (link != null && System.nanoTime() - lastStatusNanos >= statusIntervalNanos) {
            link.stream().sendStatusUpdate();
            lastStatusNanos = System.nanoTime();
        }
    }

    // ---------------------------------------------------------------- the assembler's sink

    @Override
    public void event(ChangeEvent event, int messageBytes) {
        if (draining) {
            throw new DeliveryQueue.StopSignal();
        }
        tracker.onEnqueued();
        queue.putEvent(event, messageBytes, this);
        eventsSinceCommit = true;
    }

    @Override
    public void commit(long endLsn) {
        tracker.onCommit(endLsn);
        if (eventsSinceCommit) {
            eventsSinceCommit = false;
            queue.putCommit(endLsn, this);
        }
    }

    @Override
    public void hold(int xid, long lsn) {
        tracker.hold(xid, lsn);
    }

    @Override
    public void release(int xid) {
        tracker.release(xid);
    }

    /**
     * Queues an outcome behind the events before it. It holds no message bytes, but it is numbered like
     * an event: the slot must not move past the transaction before the application has its outcome.
     */
    @Override
    public void outcome(TransactionOutcome outcome) {
        tracker.onEnqueued();
        queue.putOutcome(outcome, this);
    }
}
