package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.BeginPrepare;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.CommitPrepared;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Prepare;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.RollbackPrepared;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamCommit;
import dev.pgoutput.protocol.StreamPrepare;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.spi.PgOutputDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drives an {@link EventAssembler} with decoded message sequences, as the engine loop does, and writes
 * down everything that comes out of it in order: events ({@code "c t=v"}, with {@code "~xid/subxid"}
 * when delivered early and {@code "@gid"} for prepared ones), commits, holds, releases and outcomes.
 *
 * <p>Kept messages get a payload of their own (an id into a table of the messages sent), and the
 * decoder that reads spill files back looks them up there, checking that it is told the same
 * stream-block state the message arrived in. So a memory budget of 0 runs every kept transaction
 * through a spill file and the real codec.
 */
final class AssemblerHarness implements EventSink {

    static final int TABLE = 1;

    final List<String> log = new ArrayList<>();
    final List<ChangeEvent> events = new ArrayList<>();
    private final Map<Integer, PgOutputMessage> sent = new HashMap<>();
    private final Map<Integer, Boolean> sentInBlock = new HashMap<>();
    final TransactionSpools spools;
    final EventAssembler assembler;

    AssemblerHarness(Path spillDirectory, long memoryBudget, EventAssembler.Delivery delivery) {
        PgOutputDecoder decoder = (message, lsn, inStreamBlock) -> {
            int id = message.getInt(message.position());
            assertEquals(sentInBlock.get(id), inStreamBlock, "stream-block state of spilled message " + id);
            return sent.get(id);
        };
        spools = new TransactionSpools(spillDirectory, memoryBudget, decoder);
        assembler = new EventAssembler(new RelationCache(Map.of(), Set.of()), new SourceFactory("test", "test", "db"),
                this, Set.of(), spools, delivery);
    }

    /** Sends one message as the engine loop would: with the block state the assembler reports, and bytes. */
    AssemblerHarness send(PgOutputMessage message, long lsn) {
        int id = sent.size() + 1;
        sent.put(id, message);
        sentInBlock.put(id, assembler.inStreamBlock());
        assembler.handle(message, lsn, ByteBuffer.allocate(4).putInt(0, id));
        return this;
    }

    // ---------------------------------------------------------------- message shorthands

    static Relation relation(int xid, String column) {
        return new Relation(xid, TABLE, "public", "t", 'd', List.of(new Relation.Column(1, column, 25, -1)));
    }

    static Insert insert(int xid, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new Insert(xid, TABLE, new TupleData(bytes, new byte[] {TupleData.TEXT}, new int[] {0},
                new int[] {bytes.length}));
    }

    AssemblerHarness relation(String column) {
        return send(relation(0, column), 0);
    }

    /** An ordinary transaction {@code xid} committed at {@code commitLsn} with one insert per value. */
    AssemblerHarness transaction(int xid, long commitLsn, String... values) {
        send(new Begin(commitLsn, 0, xid), commitLsn - 100);
        for (int i = 0; i < values.length; i++) {
            send(insert(0, values[i]), commitLsn - 90 + i);
        }
        return send(new Commit(0, commitLsn, commitLsn + 8, 0), commitLsn + 8);
    }

    /** A Stream Start … Stream Stop block of {@code xid} with inserts by {@code subXid}. */
    AssemblerHarness block(int xid, boolean first, int subXid, long lsn, String... values) {
        send(new StreamStart(xid, first), 0);
        for (int i = 0; i < values.length; i++) {
            send(insert(subXid, values[i]), lsn + i);
        }
        return send(new StreamStop(), 0);
    }

    AssemblerHarness streamCommit(int xid, long commitLsn) {
        return send(new StreamCommit(xid, 0, commitLsn, commitLsn + 8, 0), commitLsn + 8);
    }

    AssemblerHarness streamAbort(int xid, int subXid) {
        return send(new StreamAbort(xid, subXid, 0, 0), 0);
    }

    /** Begin Prepare … Prepare of {@code xid} with one insert per value. */
    AssemblerHarness prepared(int xid, long prepareLsn, String gid, String... values) {
        send(new BeginPrepare(prepareLsn, prepareLsn + 8, 0, xid, gid), prepareLsn - 100);
        for (int i = 0; i < values.length; i++) {
            send(insert(0, values[i]), prepareLsn - 90 + i);
        }
        return send(new Prepare(0, prepareLsn, prepareLsn + 8, 0, xid, gid), prepareLsn + 8);
    }

    AssemblerHarness streamPrepare(int xid, long prepareLsn, String gid) {
        return send(new StreamPrepare(0, prepareLsn, prepareLsn + 8, 0, xid, gid), prepareLsn + 8);
    }

    AssemblerHarness commitPrepared(int xid, long commitLsn, String gid) {
        return send(new CommitPrepared(0, commitLsn, commitLsn + 8, 0, xid, gid), commitLsn + 8);
    }

    AssemblerHarness rollbackPrepared(int xid, long prepareEndLsn, long rollbackEndLsn, String gid) {
        return send(new RollbackPrepared(0, prepareEndLsn, rollbackEndLsn, 0, 0, xid, gid), rollbackEndLsn);
    }

    /** The connection is lost and comes back, as the engine loop handles it. */
    AssemblerHarness reconnect() {
        assembler.onConnectionLost();
        assembler.reportRestarts();
        return this;
    }

    // ---------------------------------------------------------------- the sink

    @Override
    public void event(ChangeEvent event, int messageBytes) {
        events.add(event);
        StringBuilder line = new StringBuilder(event.op().code()).append(' ');
        if (event.op() != Op.MESSAGE) {
            line.append(event.after().keySet().iterator().next()).append('=').append(event.after().values().iterator().next());
        }
        if (event.uncommitted() != null) {
            line.append(" ~").append(event.uncommitted().txId()).append('/').append(event.uncommitted().subTxId());
        }
        if (event.source().gid() != null) {
            line.append(" @").append(event.source().gid());
        }
        log.add(line.toString());
    }

    @Override
    public void commit(long endLsn) {
        log.add("commit " + endLsn);
    }

    @Override
    public void hold(int xid, long lsn) {
        log.add("hold " + xid + " " + lsn);
    }

    @Override
    public void release(int xid) {
        log.add("release " + xid);
    }

    @Override
    public void outcome(TransactionOutcome outcome) {
        log.add(outcome.kind() + " " + outcome.txId() + "/" + outcome.subTxId()
                + (outcome.gid() == null ? "" : " @" + outcome.gid()));
    }

    /** What came out since the last call, and forgets it. */
    List<String> drain() {
        List<String> out = List.copyOf(log);
        log.clear();
        return out;
    }
}
