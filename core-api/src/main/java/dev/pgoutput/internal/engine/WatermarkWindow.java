package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Row;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Update;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream's side of an incremental snapshot (DBLog): between a chunk's low and high watermark, every
 * change of the chunk's table takes its key out of the chunk; at the high watermark the rows left are
 * delivered as {@link Op#READ} events, before anything that follows in the stream. An update in the
 * window whose TOASTed columns did not change gets them from the freshest full value there is: an earlier
 * change of the same row in the window, or else the chunk's row. A truncation in the window drops the
 * whole chunk; a Relation message that changes the table's columns makes the worker read the chunk again.
 * Runs on the engine thread; the worker only {@linkplain #expect announces} chunks.
 */
final class WatermarkWindow {

    /** The prefix of the watermark messages; they are never delivered. */
    static final String PREFIX = "pgoutput-decoder.snapshot";
    private static final Logger LOG = LoggerFactory.getLogger(WatermarkWindow.class);
    private static final long WAIT_SLICE_NANOS = 50_000_000L;

    private final String run;
    private final RelationCache relations;
    private final SourceFactory sources;
    private final EventSink sink;
    private final LongSupplier enqueued;
    private final DeliveryQueue.Waiting waiting;
    /** Chunks announced by the worker and not handled yet, by number. */
    private final Map<Long, IncrementalChunk> expected = new ConcurrentHashMap<>();

    // The open window, engine thread only.
    private IncrementalChunk open;
    /** How the open chunk's rows are described (from the catalog, as a Relation message would). */
    private RelationInfo openInfo;
    private final Set<List<Object>> changed = new HashSet<>();
    /** The newest full tuple of each row changed in the window (for unchanged TOAST). */
    private final Map<List<Object>, TupleData> latest = new HashMap<>();
    private Map<List<Object>, TupleData> chunkByKey;
    private boolean truncated;
    private boolean restart;

    /**
     * @param run      this reader's run: watermarks of another process (or of one before a restart) are
     *                 left alone
     * @param enqueued the number of the last item enqueued (the tracker's)
     * @param waiting  how to wait on the engine thread: stop when the reader stops, keep the link alive
     */
    WatermarkWindow(String run, RelationCache relations, SourceFactory sources, EventSink sink, LongSupplier enqueued,
                    DeliveryQueue.Waiting waiting) {
        this.run = run;
        this.relations = relations;
        this.sources = sources;
        this.sink = sink;
        this.enqueued = enqueued;
        this.waiting = waiting;
    }

    /** The content of chunk {@code number}'s low or high watermark. */
    String watermark(long number, boolean low) {
        return run + ":" + number + (low ? ":low" : ":high");
    }

    /** The worker will write the chunk's watermarks. */
    void expect(IncrementalChunk chunk) {
        expected.put(chunk.number(), chunk);
    }

    /** The worker gave the chunk up before its high watermark. */
    void forget(IncrementalChunk chunk) {
        expected.remove(chunk.number());
    }

    static boolean isWatermark(LogicalMessage m) {
        return m.transactional() && PREFIX.equals(m.prefix());
    }

    /** A watermark in the stream, at {@code lsn}, in transaction {@code tx}. */
    void onWatermark(LogicalMessage m, long lsn, TransactionContext tx) {
        String content = new String(m.content(), java.nio.charset.StandardCharsets.UTF_8);
        int colon = content.indexOf(':');
        int second = content.indexOf(':', colon + 1);
        if (colon < 0 || second < 0 || !content.substring(0, colon).equals(run)) {
            return;   // another reader's, or an earlier run's
        }
        IncrementalChunk chunk = expected.get(Long.parseLong(content.substring(colon + 1, second)));
        if (chunk == null) {
            return;   // handled already: the server sent it again after a reconnect
        }
        if (content.endsWith(":low")) {
            if (open != chunk) {
                open = chunk;
                openInfo = relations.describe(chunk.table().relation());
                changed.clear();
                latest.clear();
                chunkByKey = null;
                truncated = false;
                restart = false;
            }
        } else if (open == chunk) {
            close(chunk, lsn, tx);
        }
    }

    private void close(IncrementalChunk chunk, long lsn, TransactionContext tx) {
        RelationInfo info = openInfo;
        open = null;
        expected.remove(chunk.number());
        awaitRows(chunk);
        if (chunk.failed()) {
            return;
        }
        if (restart) {
            LOG.info("Table {} changed its columns during a chunk of its incremental snapshot: reading the chunk again",
                    chunk.table().name());
            chunk.handled(new IncrementalChunk.Outcome(true, 0, enqueued.getAsLong()));
            return;
        }
        long delivered = 0;
        if (!truncated) {
            int[] keyIndexes = chunk.table().keyIndexes();
            long now = System.currentTimeMillis();
            for (TupleData row : chunk.rows()) {
                if (changed.isEmpty() || !changed.contains(chunkKey(info, keyIndexes, row))) {
                    dev.pgoutput.api.Source source = sources.incremental(info.schema(), info.table(), lsn, tx, now);
                    sink.event(new ChangeEvent(Op.READ, null, info.rows().row(row, null, false), source,
                            SourceFactory.nowNanos(), null, null, null), row.buffer().length);
                    delivered++;
                }
            }
        }
        changed.clear();
        latest.clear();
        chunkByKey = null;
        chunk.handled(new IncrementalChunk.Outcome(false, delivered, enqueued.getAsLong()));
    }

    private void awaitRows(IncrementalChunk chunk) {
        try {
            while (!chunk.awaitReady(WAIT_SLICE_NANOS)) {
                if (waiting.stopping()) {
                    throw new DeliveryQueue.StopSignal();
                }
                waiting.keepAlive();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryQueue.StopSignal();
        }
    }

    /** Whether changes of {@code r} are inside a window now. */
    boolean watches(RelationInfo r) {
        IncrementalChunk chunk = open;
        if (chunk == null) {
            return false;
        }
        if (chunk.failed()) {
            open = null;
            return false;
        }
        return chunk.table().relationId() == r.relationId();
    }

    /** A Relation message: a change of the watched table's columns spoils the chunk read meanwhile. */
    void onRelation(Relation m) {
        IncrementalChunk chunk = open;
        if (chunk == null || chunk.table().relationId() != m.relationId()) {
            return;
        }
        List<Relation.Column> had = chunk.table().published().columns();
        boolean same = had.size() == m.columns().size();
        for (int i = 0; same && i < had.size(); i++) {
            same = had.get(i).name().equals(m.columns().get(i).name())
                    && had.get(i).typeOid() == m.columns().get(i).typeOid();
        }
        restart |= !same;
    }

    /** An insert into the watched table. */
    void onInsert(Insert m, RelationInfo r) {
        List<Object> key = key(r, m.newTuple(), false);
        changed.add(key);
        latest.put(key, copyOf(m.newTuple(), null));
    }

    /** A delete from the watched table. */
    void onDelete(Delete m, RelationInfo r) {
        List<Object> key = key(r, m.oldTuple(), m.oldKind() == 'K');
        changed.add(key);
        latest.remove(key);
    }

    /** A truncation of the watched table: every row read before it is gone. */
    void onTruncate() {
        truncated = true;
    }

    /**
     * An update of the watched table; returns the tuple that fills its unchanged-TOAST columns, or null
     * when it has none (or the old row under replica identity FULL has them).
     */
    TupleData onUpdate(Update m, RelationInfo r) {
        List<Object> oldKey = m.oldTuple() == null ? null : key(r, m.oldTuple(), m.oldKind() == 'K');
        List<Object> key = key(r, m.newTuple(), false);
        changed.add(key);
        if (oldKey != null) {
            changed.add(oldKey);
        }
        // A key change names the row by its old key: that is where its earlier values are.
        List<Object> was = oldKey != null ? oldKey : key;
        TupleData fill = null;
        if (hasUnchangedToast(m.newTuple()) && m.oldKind() != 'O') {
            fill = latest.get(was);
            if (fill == null) {
                fill = chunkRow(was);
            }
        }
        if (oldKey != null) {
            latest.remove(oldKey);
        }
        latest.put(key, copyOf(m.newTuple(), fill));
        return fill;
    }

    private TupleData chunkRow(List<Object> key) {
        awaitRows(open);
        if (chunkByKey == null) {
            chunkByKey = new HashMap<>();
            for (TupleData row : open.rows()) {
                chunkByKey.put(chunkKey(openInfo, open.table().keyIndexes(), row), row);
            }
        }
        TupleData row = chunkByKey.get(key);
        return row != null && row.columnCount() == open.table().published().columns().size() ? row : null;
    }

    private static boolean hasUnchangedToast(TupleData t) {
        for (int i = 0; i < t.columnCount(); i++) {
            if (t.isUnchangedToast(i)) {
                return true;
            }
        }
        return false;
    }

    private List<Object> key(RelationInfo r, TupleData tuple, boolean keyOnly) {
        Row row = r.rows().row(tuple, null, keyOnly);
        List<String> names = open.table().keyColumns();
        List<Object> key = new ArrayList<>(names.size());
        for (String name : names) {
            int i = row.indexOf(name);
            key.add(i < 0 ? null : comparable(row.value(i)));
        }
        return key;
    }

    private static List<Object> chunkKey(RelationInfo info, int[] keyIndexes, TupleData tuple) {
        Row row = info.rows().row(tuple, null, false);
        List<Object> key = new ArrayList<>(keyIndexes.length);
        for (int i : keyIndexes) {
            key.add(comparable(row.value(i)));
        }
        return key;
    }

    /**
     * Key values compared by what they are: a byte array by its content (its equals is identity), a
     * timestamp with time zone by its instant (its text form carries the session's offset, its binary form
     * none).
     */
    private static Object comparable(Object value) {
        if (value instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (value instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        return value;
    }

    /** A compact copy of {@code tuple} with its unchanged-TOAST columns taken from {@code fill}. */
    static TupleData copyOf(TupleData tuple, TupleData fill) {
        int n = tuple.columnCount();
        byte[] kinds = new byte[n];
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            TupleData from = source(tuple, fill, i);
            size += from.hasValue(i) ? from.valueLength(i) : 0;
        }
        byte[] buffer = new byte[size];
        int at = 0;
        for (int i = 0; i < n; i++) {
            TupleData from = source(tuple, fill, i);
            kinds[i] = from.kind(i);
            if (from.hasValue(i)) {
                System.arraycopy(from.buffer(), from.valueOffset(i), buffer, at, from.valueLength(i));
                offsets[i] = at;
                lengths[i] = from.valueLength(i);
                at += lengths[i];
            }
        }
        return new TupleData(buffer, kinds, offsets, lengths);
    }

    private static TupleData source(TupleData tuple, TupleData fill, int i) {
        return tuple.isUnchangedToast(i) && fill != null && fill.columnCount() == tuple.columnCount() ? fill : tuple;
    }
}
