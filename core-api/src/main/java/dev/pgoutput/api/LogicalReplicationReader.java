package dev.pgoutput.api;

import dev.pgoutput.internal.engine.BufferOptions;
import dev.pgoutput.internal.engine.DeliveryOptions;
import dev.pgoutput.internal.engine.LinkOptions;
import dev.pgoutput.internal.engine.ReaderConfig;
import dev.pgoutput.internal.engine.ReplicationSession;
import dev.pgoutput.internal.engine.SnapshotOptions;
import dev.pgoutput.internal.engine.StreamOptions;
import dev.pgoutput.spi.ConnectionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Streams change events from a PostgreSQL logical replication slot through the {@code pgoutput} plugin.
 *
 * <pre>{@code
 * try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
 *         .host("localhost").port(5432).database("mydb")
 *         .user("postgres").password("secret")
 *         .publication("test_pub").slot("test_slot")
 *         .build()) {
 *     for (ChangeEvent e : reader) {
 *         System.out.println(e.op() + " " + e.tableName() + " " + e.after());
 *     }
 * }
 * }</pre>
 *
 * <p><b>Delivery is at-least-once.</b> With {@code autoAcknowledge(true)} (the default) an event counts
 * as handled when the application asks for the next one; with {@code autoAcknowledge(false)} only
 * {@link #acknowledge()} and {@link #acknowledge(long)} do that. The server is told to keep WAL from the
 * first transaction that is not wholly handled, so after a crash or restart a new reader on the same slot
 * starts after the last handled transaction: nothing handled comes again and nothing unhandled is lost.
 *
 * <p>{@link Builder#build()} connects and checks the server's setup, failing with a
 * {@link ReplicationSetupException} that shows the SQL to fix a missing slot or publication, a wrong
 * {@code wal_level} or a rejected password. The reader creates nothing on the server.
 *
 * <p>Iteration and {@link #poll(Duration)} are meant for one consuming thread; {@link #stop()},
 * {@link #acknowledge()} and {@link #close()} may be called from any thread.
 */
public final class LogicalReplicationReader implements Iterable<ChangeEvent>, AutoCloseable {

    private static final String VERSION = readVersion();

    private final ReplicationSession session;
    private final ReaderPublisher publisher = new ReaderPublisher(this);
    /** How the application reads: as events or as transactions, never both. */
    private final java.util.concurrent.atomic.AtomicReference<String> view = new java.util.concurrent.atomic.AtomicReference<>();
    private volatile dev.pgoutput.internal.engine.TransactionCursor transactions;

    private LogicalReplicationReader(ReplicationSession session) {
        this.session = session;
    }

    /** A builder with the defaults: port 5432, auto-acknowledge, automatic decoder choice. */
    public static Builder builder() {
        return new Builder();
    }

    /** This library's version, as written in every event's source block. */
    public static String version() {
        return VERSION;
    }

    /**
     * A blocking iterator over the events. {@code hasNext()} waits for the next event and returns false
     * once the reader is stopped or closed; it throws the reader's failure (for example a
     * {@link ReplicationConnectionException}) after delivering every event that came before it.
     */
    @Override
    public Iterator<ChangeEvent> iterator() {
        reading("events");
        return new Iterator<>() {
            private ChangeEvent next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = session.take(-1);
                }
                return next != null;
            }

            @Override
            public ChangeEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the reader has ended");
                }
                ChangeEvent e = next;
                next = null;
                return e;
            }
        };
    }

    /**
     * Waits at most {@code timeout} for the next event.
     *
     * @return the event, or {@code null} when none came in time or the reader has ended
     * @throws PgOutputException the reader's failure, after every event that came before it
     */
    public ChangeEvent poll(Duration timeout) {
        reading("events");
        return session.take(timeout.toNanos());
    }

    /**
     * What the reader has done and how far behind it is, now: events and bytes delivered, the rate, the
     * buffer's depth, the lag to the server's WAL end, how long after their commit events arrive, reconnects
     * and the last error, and a running snapshot's progress. Cheap; from any thread.
     */
    public ReaderMetrics metrics() {
        return session.metrics();
    }

    /**
     * Takes a batch, for consumers that apply lists: waits at most {@code timeout} for the first event, then
     * adds the events already waiting in the buffer, up to {@code maxEvents}, without waiting for more. With
     * automatic acknowledgement, asking for the next batch acknowledges this one.
     *
     * <pre>{@code
     * for (List<ChangeEvent> batch; !(batch = reader.poll(500, Duration.ofSeconds(1))).isEmpty() || !reader.isEnded(); ) {
     *     sink.write(batch);
     * }
     * }</pre>
     *
     * @param maxEvents at most this many events, at least 1
     * @return the events in order; empty when none came in time or the reader has ended
     * @throws PgOutputException the reader's failure, once every event before it was returned
     */
    public java.util.List<ChangeEvent> poll(int maxEvents, Duration timeout) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, got " + maxEvents);
        }
        reading("events");
        return session.takeBatch(maxEvents, timeout.toNanos());
    }

    /**
     * The events as whole transactions, in commit order: each {@link Transaction} tells its xid, commit
     * and end positions, commit time, origin and gid, and streams its events, so that a transaction of any
     * size passes without being held. Asking for the next transaction skips what is left of the current
     * one. With {@code autoAcknowledge(true)} asking for the next transaction acknowledges the one before;
     * otherwise {@link #acknowledge(Transaction)} does. Streamed and prepared transactions appear at their
     * commit. Every call gives the same transactions (one cursor).
     *
     * @throws IllegalStateException when the events are read one by one already ({@link #iterator()},
     *                               {@code poll}, {@link #publisher()}), or delivered before their commit
     *                               ({@code deliverUncommitted}, {@code deliverOnPrepare})
     */
    public Iterable<Transaction> transactions() {
        if (session.deliversEarly()) {
            throw new IllegalStateException("transactions() cannot tell transactions apart when events come before "
                    + "their commit: build the reader without deliverUncommitted(true) and deliverOnPrepare(true)");
        }
        reading("transactions");
        synchronized (this) {
            if (transactions == null) {
                transactions = new dev.pgoutput.internal.engine.TransactionCursor(session);
            }
        }
        dev.pgoutput.internal.engine.TransactionCursor cursor = transactions;
        return () -> cursor;
    }

    /**
     * Acknowledges a transaction from {@link #transactions()} whole, skipping what is left of its events if
     * it is the current one: the slot may move past it once the transactions before it are acknowledged too.
     */
    public void acknowledge(Transaction transaction) {
        dev.pgoutput.internal.engine.TransactionCursor cursor = transactions;
        if (cursor == null) {
            throw new IllegalStateException("acknowledge(Transaction) is for transactions from transactions()");
        }
        cursor.acknowledge(transaction);
    }

    /** Claims the one way this reader's events are read. */
    private void reading(String way) {
        String was = view.compareAndExchange(null, way);
        if (was != null && !was.equals(way)) {
            throw new IllegalStateException("this reader's events are read as " + was + " already; reading them as "
                    + way + " too would split transactions between the two: use one reader per way");
        }
    }

    /**
     * The events as a {@link java.util.concurrent.Flow.Publisher} with real backpressure: the reader takes
     * events only while the subscriber has demand, and its bounded buffer stops reading from the server
     * when there is none. One subscriber per reader; {@code cancel()} stops the reader.
     *
     * <pre>{@code
     * reader.publisher().subscribe(new Flow.Subscriber<>() {
     *     public void onSubscribe(Flow.Subscription s) { s.request(100); }
     *     public void onNext(ChangeEvent e) { handle(e); }
     *     public void onError(Throwable t) { log(t); }
     *     public void onComplete() { }
     * });
     * }</pre>
     */
    public java.util.concurrent.Flow.Publisher<ChangeEvent> publisher() {
        reading("events");
        return publisher;
    }

    /**
     * Takes an incremental snapshot of {@code tables} (qualified names such as {@code public.users}) while
     * streaming goes on: their rows come as {@link Op#READ} events marked {@code "incremental"} among the
     * streamed ones, read in chunks by key between watermarks in the stream (Netflix's DBLog), so that a
     * row the stream changes meanwhile is never delivered older than its change. Requests queue and are
     * served one table at a time. Progress is kept in {@code snapshotState} as far as the rows were
     * acknowledged: a reader started again goes on from its last acknowledged chunk.
     *
     * <p>Needs PostgreSQL 14+; a table needs a primary key or a replica identity index. The stage
     * completes with the rows delivered once the last chunk's rows were handed to the buffer, or
     * exceptionally with the reason: a {@link ReplicationSetupException} naming a table that is not
     * published, has no key, or a server too old.
     *
     * <pre>{@code
     * reader.snapshotTables("public.users").thenAccept(s -> log.info("{} rows", s.rows()));
     * }</pre>
     */
    public java.util.concurrent.CompletionStage<SnapshotSummary> snapshotTables(String... tables) {
        return session.snapshotTables(java.util.List.of(tables));
    }

    /**
     * Bytes of pgoutput messages behind the events waiting in the reader's buffer; at most
     * {@code bufferBytes} plus one message.
     */
    public long bufferedBytes() {
        return session.bufferedBytes();
    }

    /**
     * For a consumer of single events ({@link #poll(Duration)}, {@link #iterator()}): whether every event of the
     * last delivered event's transaction has been delivered, so that a batch can end at the transaction's end
     * without waiting for the next transaction's first event. The reader knows it once it has passed the
     * transaction's commit, which a later {@code poll} (or {@code hasNext}) does, also one that comes back
     * without an event; a logical decoding message outside any transaction, and the row marked {@code last} of
     * an initial snapshot, complete their transaction by themselves. False before the first event, while more
     * events of the transaction may follow, and always with {@code deliverUncommitted(true)} or
     * {@code deliverOnPrepare(true)}, which deliver events before their transaction's end is known.
     *
     * <pre>{@code
     * ChangeEvent e = reader.poll(Duration.ofSeconds(1));      // the last change of a transaction
     * reader.isTransactionComplete();                         // false: its commit has not been passed yet
     * ChangeEvent next = reader.poll(Duration.ZERO);          // passes the commit; null if nothing else waits
     * reader.isTransactionComplete();                         // true when next is null and the commit came
     * }</pre>
     */
    public boolean isTransactionComplete() {
        return session.transactionComplete();
    }

    /** Whether the reader has ended (stopped, closed or failed) and will deliver nothing more. */
    public boolean isEnded() {
        return session.isEnded();
    }

    /**
     * Acknowledges every event delivered so far: the slot may move past the transactions they complete.
     */
    public void acknowledge() {
        session.acknowledgeAll();
    }

    /**
     * Acknowledges the delivered events up to and including the last delivered event whose
     * {@code source().lsn()} is at most {@code lsn}. Pass the LSN of the last event you have handled.
     * The slot moves at transaction boundaries: a transaction counts once all of its events are
     * acknowledged.
     */
    public void acknowledge(long lsn) {
        session.acknowledge(lsn);
    }

    /**
     * The position this reader reports to the server as flushed: the end of the last transaction that
     * is wholly acknowledged (or, while idle, the server's WAL end).
     */
    public long flushedLsn() {
        return session.flushedLsn();
    }

    /** Stops reading; iteration ends and {@code poll} returns null. Events not yet delivered are dropped and come again to the next reader. */
    public void stop() {
        session.stop();
    }

    /** Stops, reports the acknowledged position to the server and closes the connection. */
    @Override
    public void close() {
        session.close();
    }

    private static String readVersion() {
        try (InputStream in = LogicalReplicationReader.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Configures a reader. Every option is checked in {@link #build()}, which names the option to change
     * when something does not fit.
     */
    public static final class Builder {

        private String host = "localhost";
        private int port = 5432;
        private String database;
        private String user;
        private String password;
        private String connectionUri;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private final List<String> publications = new ArrayList<>();
        private String slot;
        private boolean autoAcknowledge = true;
        private String decoder;
        private boolean binary;
        private final Set<String> tables = new LinkedHashSet<>();
        private int protocolVersion;
        private Duration statusInterval = Duration.ofSeconds(10);
        private Duration receiveTimeout = Duration.ofSeconds(60);
        private boolean messages;
        private String origin;
        private final Set<Op> skippedOperations = java.util.EnumSet.noneOf(Op.class);
        private int bufferCapacity = 4096;
        private String name = "pgoutput";
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private Duration startTimeout = Duration.ofSeconds(30);
        private long bufferBytes = 64L << 20;
        private boolean streaming;
        private boolean parallelStreaming;
        private boolean twoPhase;
        private java.nio.file.Path spillDirectory;
        private long spillMemory = 16L << 20;
        private boolean deliverUncommitted;
        private boolean deliverOnPrepare;
        private java.util.function.Consumer<TransactionOutcome> outcomes;
        private java.util.function.LongConsumer transactionEnds;
        private boolean createSlot;
        private SnapshotMode snapshot = SnapshotMode.NEVER;
        private int snapshotParallelism = 1;
        private java.nio.file.Path snapshotState;
        private Duration slotCreationTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Server host; default {@code localhost}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Server port; default 5432. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Database to stream from. */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** User; it needs the REPLICATION attribute (or superuser). */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Password; never logged or shown in messages. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * A {@code postgresql://user:password@host:port/database?sslmode=require} URI (the
         * {@code jdbc:} prefix is accepted too) instead of host, port and database.
         */
        public Builder connectionUri(String uri) {
            this.connectionUri = uri;
            return this;
        }

        /** A pgjdbc connection property, for example {@code sslmode}, {@code sslrootcert}. */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** How long to wait for the connection; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Creates the slot when it is missing at start; default false, and then a missing slot is an error
         * that shows the SQL to create it. The slot is made with the replication protocol's
         * {@code CREATE_REPLICATION_SLOT … LOGICAL pgoutput} (two-phase when {@link #twoPhase(boolean)} is on,
         * PostgreSQL 15+), and the reader streams what is committed after that. Only at start: a slot that
         * disappears while the reader runs is an error, not created again (the changes in between went
         * with it). A start that fails after the creation removes the slot again.
         */
        public Builder createSlot(boolean create) {
            this.createSlot = create;
            return this;
        }

        /**
         * How long creating the slot ({@link #createSlot(boolean)}) may wait for the transactions running
         * when it starts; default 60 s. Creation cannot finish while any of them is open; past the timeout
         * it is cancelled, no slot is left, and the error names the sessions it waited for.
         */
        public Builder slotCreationTimeout(Duration timeout) {
            this.slotCreationTimeout = timeout;
            return this;
        }

        /**
         * Copies the tables' current rows before streaming their changes; default {@link SnapshotMode#NEVER}.
         * With {@link SnapshotMode#INITIAL} a reader that finds its slot missing creates it (as
         * {@link #createSlot(boolean)} does), copies every published table under the slot's exported
         * snapshot as {@link Op#READ} events, in the same buffer and with the same acknowledgement as the
         * stream, then streams from the slot's consistent point: nothing lost, nothing twice. With an
         * existing slot nothing is copied. {@link SnapshotMode#INITIAL_ONLY} copies into a slot made for it
         * and ends the iteration after the copy, dropping that slot. Only what the publications publish is
         * copied: their tables after {@link #tables(String...)}, and on PostgreSQL 15+ their column lists and
         * row filters.
         */
        public Builder snapshot(SnapshotMode mode) {
            this.snapshot = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * How many connections copy the tables at once in an initial snapshot; default 1. They all read the
         * one exported snapshot; on PostgreSQL 14+ large tables are split into ranges of pages between them.
         */
        public Builder snapshotParallelism(int connections) {
            this.snapshotParallelism = connections;
            return this;
        }

        /**
         * Where the reader records an initial snapshot in progress; default
         * {@code <java.io.tmpdir>/pgoutput-snapshot/<slot>.snapshot}. The record stays until the application
         * acknowledged every copied row; a reader that finds it for its slot at start refuses to stream
         * (the rows the interrupted copy did not deliver would be missing) and says how to start over.
         * Keep it somewhere that survives a restart.
         */
        public Builder snapshotState(java.nio.file.Path file) {
            this.snapshotState = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Adds publications to stream (at least one). */
        public Builder publication(String... names) {
            publications.addAll(Arrays.asList(names));
            return this;
        }

        /** The logical replication slot, created beforehand with the {@code pgoutput} plugin. */
        public Builder slot(String slot) {
            this.slot = slot;
            return this;
        }

        /** Whether asking for the next event acknowledges the previous one; default true. */
        public Builder autoAcknowledge(boolean auto) {
            this.autoAcknowledge = auto;
            return this;
        }

        /** Chooses the decoder by name ({@code "bytebuffer"}, {@code "panama"}); default automatic. */
        public Builder decoder(String name) {
            this.decoder = name;
            return this;
        }

        /**
         * Requests the binary tuple format (PostgreSQL 14+): less work for the server, and values convert
         * to the same Java values as in text format; default false.
         */
        public Builder binary(boolean binary) {
            this.binary = binary;
            return this;
        }

        /** Only deliver changes of these tables, given as {@code schema.table}; default all published. */
        public Builder tables(String... qualifiedNames) {
            tables.addAll(Arrays.asList(qualifiedNames));
            return this;
        }

        /** The pgoutput protocol version (1–4); default the highest the server speaks. */
        public Builder protocolVersion(int version) {
            this.protocolVersion = version;
            return this;
        }

        /** How often status updates are sent to the server; default 10 s. */
        public Builder statusInterval(Duration interval) {
            this.statusInterval = interval;
            return this;
        }

        /**
         * How long the reader waits without receiving anything from the server before it treats the
         * connection as lost and reconnects (under the {@link #reconnect(ReconnectPolicy) reconnect
         * policy}); default 60 s, like the server's own {@code wal_receiver_timeout}. After half of it
         * the reader asks the server to reply, so an idle but healthy server is never mistaken for a dead
         * one; a connection that is cut or silently dropped (a firewall, a dead NAT entry) is noticed
         * within this time instead of TCP's retransmission timeout (about 15 minutes on Linux). It also
         * bounds a read that stalls in the middle of a message. {@link Duration#ZERO} turns the check off.
         */
        public Builder receiveTimeout(Duration timeout) {
            this.receiveTimeout = timeout;
            return this;
        }

        /**
         * Delivers logical decoding messages ({@code pg_logical_emit_message}) as {@link Op#MESSAGE} events
         * with the {@link Message} in {@link ChangeEvent#message()}; default false. Transactional messages
         * arrive in their transaction's order and only if it commits; non-transactional ones as soon as
         * the server decodes them. Needs PostgreSQL 14+ (protocol version 2 or higher). Messages are not
         * subject to {@link #tables(String...)}.
         */
        public Builder messages(boolean messages) {
            this.messages = messages;
            return this;
        }

        /**
         * Operations not to deliver, like Debezium's {@code skipped.operations}: any of
         * {@link Op#CREATE}, {@link Op#UPDATE}, {@link Op#DELETE}, {@link Op#TRUNCATE} and
         * {@link Op#MESSAGE}; default none (truncates are delivered, one {@code "t"} event per table).
         * Skipped changes still count as handled: the slot moves past them.
         */
        public Builder skippedOperations(Op... operations) {
            for (Op op : operations) {
                if (op == Op.READ) {
                    throw new ConfigurationException("skippedOperations: READ events come from snapshots, which this "
                            + "reader does not take; skip CREATE, UPDATE, DELETE, TRUNCATE or MESSAGE");
                }
                skippedOperations.add(java.util.Objects.requireNonNull(op, "operation"));
            }
            return this;
        }

        /**
         * Which changes to stream by their replication origin (PostgreSQL 16+): {@code "none"} only local
         * changes, not those another replication applied here (to avoid loops between nodes that replicate
         * to each other); {@code "any"} all of them. Unset, the server's default applies ({@code "any"}).
         * Changes from an origin carry its name in {@link Source#origin()}, whatever this option says.
         */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /**
         * Asks the server to stream large transactions while they are still in progress (PostgreSQL 14+,
         * protocol version 2 or higher); default false. Without it the server collects a transaction's
         * changes beyond {@code logical_decoding_work_mem} in its own files and sends them only after the
         * commit, in one burst. With it they arrive early, and this reader keeps them (in memory up to
         * {@link #spillMemory(long)}, in files under {@link #spillDirectory(java.nio.file.Path)} beyond it)
         * until the transaction's outcome is known: the events are delivered on commit, in commit order,
         * exactly like those of any other transaction, and never for an aborted transaction or an aborted
         * subtransaction ({@code ROLLBACK TO SAVEPOINT}).
         */
        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        /**
         * Asks for {@code streaming = parallel} (PostgreSQL 16+, protocol version 4): implies
         * {@link #streaming(boolean) streaming(true)}; the server then also sends when and where an
         * aborted streamed transaction ended. Delivery is the same as with plain streaming. Default false.
         */
        public Builder parallelStreaming(boolean parallel) {
            this.parallelStreaming = parallel;
            return this;
        }

        /**
         * Asks for prepared transactions (PostgreSQL 15+, protocol version 3 or higher, pgoutput's
         * {@code two_phase}); default false. The server then sends a transaction at its
         * {@code PREPARE TRANSACTION}; this reader keeps it (like a streamed transaction) and delivers its
         * events on {@code COMMIT PREPARED}, with the gid in {@link Source#gid()}, and nothing on
         * {@code ROLLBACK PREPARED}. Until the outcome the slot's confirmed position stays before the
         * PREPARE, so a reader restarted in between receives the transaction again; transactions that
         * committed after the PREPARE may then be delivered again too (at-least-once).
         *
         * <p>The server turns two-phase decoding on for the slot when a reader first asks for it; a
         * prepared transaction whose PREPARE came before that is sent whole at its COMMIT PREPARED.
         */
        public Builder twoPhase(boolean twoPhase) {
            this.twoPhase = twoPhase;
            return this;
        }

        /**
         * Delivers the changes of a streamed transaction as they arrive instead of at its commit (for
         * pipelines that want the lowest latency and can take changes back); needs
         * {@link #streaming(boolean) streaming(true)} and {@link #transactionOutcomes}; default false.
         * Such events carry {@link ChangeEvent#uncommitted()} (with the subtransaction that made the
         * change) and a source block without commit LSN or commit time (both 0); the outcome follows as a
         * {@link TransactionOutcome}: committed, aborted (the whole transaction or one subtransaction), or
         * restarted when the connection was lost (the server then sends the transaction again from its
         * start). With {@link #twoPhase(boolean)} too, a streamed transaction that is then prepared gets
         * its outcome at COMMIT PREPARED or ROLLBACK PREPARED (with the gid), or at PREPARE with
         * {@link #deliverOnPrepare}; prepared transactions that were not streamed are delivered as that
         * option says.
         */
        public Builder deliverUncommitted(boolean early) {
            this.deliverUncommitted = early;
            return this;
        }

        /**
         * Delivers a prepared transaction at its {@code PREPARE TRANSACTION} instead of at
         * {@code COMMIT PREPARED} (like PostgreSQL's own two-phase subscribers); needs
         * {@link #twoPhase(boolean) twoPhase(true)} and {@link #transactionOutcomes}; default false. The
         * events carry {@link ChangeEvent#uncommitted()} with the gid, and the slot moves past the
         * PREPARE once they are acknowledged (nothing is held back). COMMIT PREPARED and ROLLBACK PREPARED
         * then arrive as a {@link TransactionOutcome}, also after a restart.
         */
        public Builder deliverOnPrepare(boolean onPrepare) {
            this.deliverOnPrepare = onPrepare;
            return this;
        }

        /**
         * Receives the outcomes of transactions whose events were delivered before them
         * ({@link #deliverUncommitted}, {@link #deliverOnPrepare}). Called on the thread that takes the
         * events, in order with them: after every event delivered before the outcome and before any event
         * after it. An exception it throws ends the iteration like one thrown by the application.
         */
        public Builder transactionOutcomes(java.util.function.Consumer<TransactionOutcome> listener) {
            this.outcomes = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Tells a consumer of single events ({@link #poll}, {@link #iterator()}) where each transaction ends: called
         * with the end LSN of its commit record on the thread that takes the events, after the transaction's last
         * event was delivered and before any later event is (at the latest in the call that takes the next event,
         * or in a call that returns none). Only transactions that delivered events end here; a message outside any
         * transaction has no end. For consumers that write the end of a transaction themselves (Debezium's
         * transaction metadata) without reading {@link #transactions()}. An exception it throws ends the iteration
         * like one thrown by the application.
         *
         * <pre>{@code
         * builder.transactionEnds(endLsn -> out.add(endMarker(endLsn)));
         * }</pre>
         */
        public Builder transactionEnds(java.util.function.LongConsumer listener) {
            this.transactionEnds = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Heap for the changes of transactions whose outcome is not known yet (streamed and prepared
         * transactions, all together); default 16 MiB. Beyond it a transaction's changes go to a file.
         */
        public Builder spillMemory(long bytes) {
            this.spillMemory = bytes;
            return this;
        }

        /**
         * Where the files of transactions beyond {@link #spillMemory(long)} go; default
         * {@code <java.io.tmpdir>/pgoutput-spill/<slot>}. Files are readable by their owner only and
         * removed when their transaction is delivered or aborted, when the reader closes, and when a
         * reader of the same directory starts (left behind by a process that died). Two readers running
         * at the same time must not share a directory.
         */
        public Builder spillDirectory(java.nio.file.Path directory) {
            this.spillDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** How many events may wait between the network and the application; default 4096. */
        public Builder bufferCapacity(int events) {
            this.bufferCapacity = events;
            return this;
        }

        /**
         * How many bytes of pgoutput messages may wait between the network and the application; default
         * 64 MiB. With {@link #bufferCapacity(int)} it bounds the reader's memory: a slow application
         * slows the reading instead of growing the heap. One event is always let through, however large.
         */
        public Builder bufferBytes(long bytes) {
            this.bufferBytes = bytes;
            return this;
        }

        /** The logical server name written in each event's source block; default {@code pgoutput}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * How to reconnect after a transient failure; default {@link ReconnectPolicy#DEFAULT} (500 ms
         * doubling to 30 s, forever). {@link ReconnectPolicy#NONE} ends the reader on the first loss.
         * Events are never delivered twice by one reader across reconnects.
         */
        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How long {@link #build()} keeps trying when the start fails for a reason that may pass — the server
         * unreachable or restarting, the slot still held by another connection (the previous process of a
         * rolling restart, whose walsender the server has not let go yet) — with the delays of the {@link
         * #reconnect(ReconnectPolicy) reconnect policy} between attempts; default 30 s. Then {@code build()}
         * throws the last failure; for a slot in use it names the process that holds it (PID, client address,
         * application name). Permanent failures (authentication, a missing slot or publication, {@code
         * wal_level}) fail at once, as does everything under {@link ReconnectPolicy#NONE}. {@code
         * Duration.ZERO} makes one attempt. Each attempt is bounded by {@link #connectTimeout(Duration)}.
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Checks the options, connects, verifies the server's setup and starts streaming.
         *
         * @throws ConfigurationException          when options are missing or do not fit together
         * @throws ReplicationSetupException       when the server is not set up (the message has the fix)
         * @throws ReplicationConnectionException  when the server cannot be reached
         */
        public LogicalReplicationReader build() {
            return new LogicalReplicationReader(ReplicationSession.open(config(), VERSION));
        }

        /** Validates the options into a configuration, without connecting. */
        ReaderConfig config() {
            ConnectionSettings connection = connectionSettings();
            StreamOptions stream = new StreamOptions(slot, publications, tables, protocolVersion, binary, messages,
                    origin, streaming, parallelStreaming, twoPhase, createSlot, slotCreationTimeout);
            LinkOptions link = new LinkOptions(statusInterval, receiveTimeout, reconnect, startTimeout);
            DeliveryOptions delivery = new DeliveryOptions(autoAcknowledge, skippedOperations, deliverUncommitted,
                    deliverOnPrepare, outcomes, transactionEnds);
            BufferOptions buffers = new BufferOptions(bufferCapacity, bufferBytes, spillDirectory != null
                    ? spillDirectory : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "pgoutput-spill", slot),
                    spillMemory);
            SnapshotOptions snapshotOptions = new SnapshotOptions(snapshot, snapshotParallelism, snapshotState != null
                    ? snapshotState : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "pgoutput-snapshot",
                    slot + ".snapshot"));
            return new ReaderConfig(connection, stream, delivery, buffers, link, snapshotOptions, decoder, name);
        }

        /**
         * The connection options alone (host, port, database, user, password, properties, timeout),
         * validated, for example for {@link ReplicationSlots}'s one-call methods.
         *
         * @throws ConfigurationException when they are missing or invalid
         */
        public ConnectionSettings connectionSettings() {
            if (connectTimeout == null || connectTimeout.isNegative()) {
                throw new ConfigurationException("connectTimeout must not be negative");
            }
            if (connectionUri != null) {
                ConnectionUri uri = ConnectionUri.parse(connectionUri);
                return new ConnectionSettings(uri.host(), uri.port(), uri.database(),
                        user != null ? user : uri.user(), password != null ? password : uri.password(),
                        mergedProperties(uri.parameters()), connectTimeout);
            }
            if (database == null || database.isEmpty()) {
                throw new ConfigurationException("database(...) is required (or connectionUri(...))");
            }
            if (user == null || user.isEmpty()) {
                throw new ConfigurationException("user(...) is required (or connectionUri(...) with a user)");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigurationException("port must be between 1 and 65535, got " + port);
            }
            return new ConnectionSettings(host, port, database, user, password, properties, connectTimeout);
        }

        private Map<String, String> mergedProperties(Map<String, String> fromUri) {
            Map<String, String> merged = new LinkedHashMap<>(fromUri);
            merged.putAll(properties);
            return merged;
        }
    }
}
