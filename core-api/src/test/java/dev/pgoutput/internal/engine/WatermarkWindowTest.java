package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Update;
import dev.pgoutput.spi.PublishedTable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stream's side of an incremental snapshot, message by message: which chunk rows the changes between
 * the watermarks leave out, where the rest go, how unchanged TOAST is filled, and when a chunk is dropped
 * or read again.
 */
class WatermarkWindowTest {

    private static final int TABLE = 7;
    private static final List<Relation.Column> COLUMNS = List.of(new Relation.Column(1, "id", 23, -1),
            new Relation.Column(0, "v", 25, -1), new Relation.Column(0, "doc", 25, -1));

    private final List<ChangeEvent> out = new ArrayList<>();
    private final EventSink sink = new EventSink() {
        @Override
        public void event(ChangeEvent event, int messageBytes) {
            out.add(event);
        }

        @Override
        public void commit(long endLsn) {
        }
    };
    private final RelationCache relations = new RelationCache(Map.of(), Set.of());
    private final SourceFactory sources = new SourceFactory("test", "test", "db");
    private final WatermarkWindow window = new WatermarkWindow("run1", relations, sources, sink, out::size,
            new DeliveryQueue.Waiting() {
                @Override
                public boolean stopping() {
                    return false;
                }

                @Override
                public void keepAlive() {
                }
            });
    private final EventAssembler assembler = new EventAssembler(relations, sources, sink);
    private final IncrementalTable table = new IncrementalTable(
            new PublishedTable(TABLE, "public", "t", 'd', false, COLUMNS, null, 0, 0), List.of("id"), new int[] {0});
    private long lsn = 1000;
    private int xid = 500;

    WatermarkWindowTest() {
        assembler.watermarks(window, false);
        send(new Relation(0, TABLE, "public", "t", 'd', COLUMNS));
    }

    @Test
    void rowsChangedBetweenTheWatermarksLeaveTheChunkAndTheRestComeAtTheHighWatermark() throws Exception {
        IncrementalChunk chunk = chunk(1, "1|a|d1", "2|b|d2", "3|c|d3", "4|d|d4");
        transaction(watermark("run1:1:low"));
        transaction(update("2|B|d2*"), delete("3"));
        transaction(insert("9|new|d9"));
        transaction(watermark("run1:1:high"));
        transaction(insert("10|after|d10"));
        assertEquals(List.of("u 2", "d 3", "c 9", "r 1", "r 4", "c 10"), describe(out));
        ChangeEvent read = out.get(3);
        assertEquals("incremental", read.source().snapshot());
        assertEquals("a", read.after().get("v"));
        IncrementalChunk.Outcome outcome = chunk.awaitHandled(TimeUnit.SECONDS.toNanos(1));
        assertFalse(outcome.restart());
        assertEquals(2, outcome.rowsDelivered());
        assertEquals(5, outcome.lastItem(), "the number of the chunk's last row");
    }

    @Test
    void anUpdateInTheWindowGetsItsUnchangedToastFromTheChunkOrFromAnEarlierChangeInTheWindow() {
        chunk(1, "1|a|chunk-doc-1", "2|b|chunk-doc-2");
        transaction(watermark("run1:1:low"));
        transaction(update("1|x|u"));
        transaction(update("2|y|new-doc-2"), update("2|z|u"));
        transaction(watermark("run1:1:high"));
        assertEquals(List.of("u 1", "u 2", "u 2"), describe(out), "both rows left the chunk");
        assertEquals("chunk-doc-1", out.get(0).after().get("doc"));
        assertEquals("new-doc-2", out.get(2).after().get("doc"), "the freshest value, not the chunk's older one");
    }

    @Test
    void aKeyChangeInTheWindowGetsItsUnchangedToastFromTheRowItWas() {
        chunk(1, "1|a|chunk-doc-1", "2|b|chunk-doc-2");
        transaction(watermark("run1:1:low"));
        transaction(new Update(0, TABLE, 'K', tuple("1|n|n"), tuple("7|a|u")));
        transaction(watermark("run1:1:high"));
        assertEquals(List.of("u 7", "r 2"), describe(out), "the old key left the chunk");
        assertEquals("chunk-doc-1", out.get(0).after().get("doc"), "from the row it was, not from key 7");
    }

    @Test
    void outsideAWindowUnchangedToastStaysAMarker() {
        chunk(1, "1|a|chunk-doc-1");
        transaction(update("1|x|u"));
        assertEquals(UnchangedToast.VALUE, out.get(0).after().get("doc"));
    }

    @Test
    void aTruncationInTheWindowDropsTheWholeChunk() throws Exception {
        IncrementalChunk chunk = chunk(1, "1|a|d1", "2|b|d2");
        transaction(watermark("run1:1:low"));
        transaction(new Truncate(0, 0, List.of(TABLE)));
        transaction(watermark("run1:1:high"));
        assertEquals(List.of("t"), describe(out));
        assertEquals(0, chunk.awaitHandled(TimeUnit.SECONDS.toNanos(1)).rowsDelivered());
    }

    @Test
    void aChangeOfTheTablesColumnsInTheWindowHasTheChunkReadAgain() throws Exception {
        IncrementalChunk chunk = chunk(1, "1|a|d1");
        transaction(watermark("run1:1:low"));
        List<Relation.Column> wider = new ArrayList<>(COLUMNS);
        wider.add(new Relation.Column(0, "w", 23, -1));
        send(new Relation(0, TABLE, "public", "t", 'd', wider));
        transaction(watermark("run1:1:high"));
        assertTrue(out.isEmpty(), "nothing of the spoiled chunk");
        assertTrue(chunk.awaitHandled(TimeUnit.SECONDS.toNanos(1)).restart());
    }

    @Test
    void anotherRunsWatermarksAndTheApplicationsOwnMessagesAreNotDelivered() throws Exception {
        IncrementalChunk chunk = chunk(1, "1|a|d1");
        transaction(watermark("other:1:low"));
        transaction(watermark("other:1:high"));
        transaction(new LogicalMessage(0, true, lsn, "app", "hello".getBytes(StandardCharsets.UTF_8)));
        assertTrue(out.isEmpty(), "messages were not asked for, and watermarks never show: " + out);
        assertEquals(null, chunk.awaitHandled(TimeUnit.MILLISECONDS.toNanos(10)), "not this run's chunk");
    }

    // ---------------------------------------------------------------- helpers

    private IncrementalChunk chunk(long number, String... rows) {
        IncrementalChunk chunk = new IncrementalChunk(number, table, null, false);
        for (String r : rows) {
            chunk.add(tuple(r));
        }
        chunk.ready(0);
        window.expect(chunk);
        return chunk;
    }

    private LogicalMessage watermark(String content) {
        return new LogicalMessage(0, true, lsn, WatermarkWindow.PREFIX, content.getBytes(StandardCharsets.UTF_8));
    }

    private static Insert insert(String row) {
        return new Insert(0, TABLE, tuple(row));
    }

    private static Update update(String row) {
        return new Update(0, TABLE, 'N', null, tuple(row));
    }

    private static Delete delete(String id) {
        return new Delete(0, TABLE, 'K', tuple(id + "|n|n"));
    }

    private void transaction(PgOutputMessage... changes) {
        long commit = lsn + 100;
        send(new Begin(commit, 0, xid++));
        for (PgOutputMessage m : changes) {
            send(m);
        }
        send(new Commit(0, commit, commit + 8, 0));
        lsn = commit + 16;
    }

    private void send(PgOutputMessage m) {
        assembler.handle(m, lsn++);
    }

    /** A text tuple from {@code "1|a|b"}; {@code u} is unchanged TOAST, {@code n} NULL. */
    private static TupleData tuple(String row) {
        String[] values = row.split("\\|");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] kinds = new byte[values.length];
        int[] offsets = new int[values.length];
        int[] lengths = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i].equals("u")) {
                kinds[i] = TupleData.UNCHANGED_TOAST;
            } else if (values[i].equals("n")) {
                kinds[i] = TupleData.NULL;
            } else {
                byte[] v = values[i].getBytes(StandardCharsets.UTF_8);
                kinds[i] = TupleData.TEXT;
                offsets[i] = bytes.size();
                lengths[i] = v.length;
                bytes.writeBytes(v);
            }
        }
        return new TupleData(bytes.toByteArray(), kinds, offsets, lengths);
    }

    private static List<String> describe(List<ChangeEvent> events) {
        List<String> d = new ArrayList<>();
        for (ChangeEvent e : events) {
            String code = switch (e.op()) {
                case READ -> "r";
                case CREATE -> "c";
                case UPDATE -> "u";
                case DELETE -> "d";
                case TRUNCATE -> "t";
                default -> e.op().name();
            };
            Object id = e.after() != null ? e.after().get("id") : e.before() != null ? e.before().get("id") : null;
            d.add(id == null ? code : code + " " + id);
        }
        return d;
    }
}
