package dev.pgoutput.testing;

import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.BeginPrepare;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.CommitPrepared;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Origin;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Prepare;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.RollbackPrepared;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamCommit;
import dev.pgoutput.protocol.StreamPrepare;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.protocol.Update;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates random but valid pgoutput sessions as message models, in the orders the server sends them:
 * <ul>
 *   <li>plain transactions {@code B (O) [Y* R] I/U/D/T/M … C};</li>
 *   <li>non-transactional messages between transactions;</li>
 *   <li>protocol 2+: streamed transactions {@code (S [Y R I U D T M with xid]* E)+} ended by
 *       {@code c} or {@code A} (subtransaction aborts first, the protocol 4 tail when parallel);</li>
 *   <li>protocol 3+: two-phase {@code b … P} then {@code K} or {@code r}, and streamed prepares
 *       {@code S … E p}.</li>
 * </ul>
 * A table's Relation always comes before its first change, and every tuple has exactly that Relation's
 * column count; old-key tuples carry only key columns (others {@code 'n'}), old rows never {@code 'u'}.
 * Relations range from zero columns to the server's maximum of 1600.
 *
 * <p>Deterministic for a given {@link SplittableRandom}, which is what makes a printed seed a
 * reproduction.
 */
public final class PgOutputGenerator {

    /** The most columns a PostgreSQL table can have ({@code MaxHeapAttributeNumber}). */
    public static final int MAX_COLUMNS = 1600;

    /**
     * A generated session.
     *
     * @param protocolVersion the proto_version it was generated for (1 to 4)
     * @param binary          whether the binary option was on ({@code 'b'} values possible)
     * @param messages        the messages in order
     */
    public record Session(int protocolVersion, boolean binary, List<PgOutputMessage> messages) {
    }

    /** What the generator remembers about a table it has described. */
    private record Table(int relationId, int columns, char identity, boolean[] key) {
    }

    private final SplittableRandom random;
    private final int maxUnits;
    private int protocolVersion;
    private boolean binary;
    private final List<Table> tables = new ArrayList<>();
    private final List<PgOutputMessage> out = new ArrayList<>();

    /**
     * @param random   the source of every decision
     * @param maxUnits the most transactions (or other units) per session
     */
    public PgOutputGenerator(SplittableRandom random, int maxUnits) {
        this.random = random;
        this.maxUnits = maxUnits;
    }

    /** A fresh session: new protocol version, new tables. */
    public Session session() {
        protocolVersion = 1 + random.nextInt(4);
        binary = random.nextBoolean();
        tables.clear();
        out.clear();
        int units = 1 + random.nextInt(maxUnits);
        for (int i = 0; i < units; i++) {
            int pick = random.nextInt(protocolVersion >= 3 ? 10 : protocolVersion == 2 ? 8 : 6);
            switch (pick) {
                case 0, 1, 2, 3 -> plainTransaction();
                case 4, 5 -> out.add(logicalMessage(0, false));
                case 6, 7 -> streamedTransaction();
                case 8 -> twoPhaseTransaction();
                default -> streamedPrepare();
            }
        }
        return new Session(protocolVersion, binary, List.copyOf(out));
    }

    private void plainTransaction() {
        out.add(new Begin(lsn(), timestamp(), xid()));
        if (random.nextInt(5) == 0) {
            out.add(new Origin(lsn(), Names.any(random)));
        }
        changes(0);
        out.add(new Commit(flags(), lsn(), lsn(), timestamp()));
    }

    private void streamedTransaction() {
        int xid = xid();
        int blocks = 1 + random.nextInt(3);
        for (int b = 0; b < blocks; b++) {
            out.add(new StreamStart(xid, b == 0));
            changes(xid);
            out.add(new StreamStop());
        }
        int subAborts = random.nextInt(3);
        for (int i = 0; i < subAborts; i++) {
            out.add(streamAbort(xid, xid()));
        }
        if (random.nextBoolean()) {
            out.add(new StreamCommit(xid, flags(), lsn(), lsn(), timestamp()));
        } else {
            out.add(streamAbort(xid, xid));
        }
    }

    /** With protocol 4 and parallel streaming the abort has a tail; the generator picks either shape. */
    private StreamAbort streamAbort(int xid, int subXid) {
        if (protocolVersion >= 4 && random.nextBoolean()) {
            long abortLsn = lsn();
            return new StreamAbort(xid, subXid, abortLsn == 0 ? 1 : abortLsn, timestamp());
        }
        return new StreamAbort(xid, subXid, 0, 0);
    }

    private void twoPhaseTransaction() {
        int xid = xid();
        String gid = Names.any(random);
        out.add(new BeginPrepare(lsn(), lsn(), timestamp(), xid, gid));
        changes(0);
        out.add(new Prepare(flags(), lsn(), lsn(), timestamp(), xid, gid));
        finishPrepared(xid, gid);
    }

    private void streamedPrepare() {
        int xid = xid();
        String gid = Names.any(random);
        out.add(new StreamStart(xid, true));
        changes(xid);
        out.add(new StreamStop());
        out.add(new StreamPrepare(flags(), lsn(), lsn(), timestamp(), xid, gid));
        finishPrepared(xid, gid);
    }

    private void finishPrepared(int xid, String gid) {
        if (random.nextBoolean()) {
            out.add(new CommitPrepared(flags(), lsn(), lsn(), timestamp(), xid, gid));
        } else {
            out.add(new RollbackPrepared(flags(), lsn(), lsn(), timestamp(), timestamp(), xid, gid));
        }
    }

    /** Zero or more changes; {@code xid} is non-zero inside a streamed block. */
    private void changes(int xid) {
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(12);
            if (pick == 0) {
                out.add(truncate(xid));
                continue;
            }
            if (pick == 1) {
                out.add(logicalMessage(xid, true));
                continue;
            }
            Table table = tableFor(xid);
            out.add(switch (pick % 3) {
                case 0 -> new Insert(xid, table.relationId(), newTuple(table, false));
                case 1 -> update(xid, table);
                default -> delete(xid, table);
            });
        }
    }

    /** An existing table, or a new one whose Type and Relation messages go out first. */
    private Table tableFor(int xid) {
        if (!tables.isEmpty() && random.nextInt(4) != 0) {
            Table table = tables.get(random.nextInt(tables.size()));
            if (random.nextInt(10) == 0) {
                out.add(relation(xid, table)); // sent again, as after a reconnect or ALTER TABLE
            }
            return table;
        }
        int columns = columnCount();
        char identity = identity();
        boolean[] key = new boolean[columns];
        for (int i = 0; i < columns; i++) {
            key[i] = identity == Relation.IDENTITY_FULL || random.nextInt(4) == 0;
        }
        Table table = new Table(oid(), columns, identity, key);
        tables.add(table);
        int types = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < types; i++) {
            out.add(new Type(xid, oid(), Names.namespace(random), Names.any(random)));
        }
        out.add(relation(xid, table));
        return table;
    }

    private Relation relation(int xid, Table table) {
        List<Relation.Column> columns = new ArrayList<>(table.columns());
        for (int i = 0; i < table.columns(); i++) {
            int flags = random.nextInt(50) == 0 ? random.nextInt(256) & ~1 : 0;
            columns.add(new Relation.Column(flags | (table.key()[i] ? 1 : 0), Names.any(random), oid(),
                    random.nextBoolean() ? -1 : random.nextInt()));
        }
        return new Relation(xid, table.relationId(), Names.namespace(random), Names.any(random), table.identity(),
                columns);
    }

    private Update update(int xid, Table table) {
        return switch (random.nextInt(3)) {
            case 0 -> new Update(xid, table.relationId(), (char) 0, null, newTuple(table, true));
            case 1 -> new Update(xid, table.relationId(), 'K', oldKey(table), newTuple(table, true));
            default -> new Update(xid, table.relationId(), 'O', oldRow(table), newTuple(table, true));
        };
    }

    private Delete delete(int xid, Table table) {
        return random.nextBoolean()
                ? new Delete(xid, table.relationId(), 'K', oldKey(table))
                : new Delete(xid, table.relationId(), 'O', oldRow(table));
    }

    private Truncate truncate(int xid) {
        int count = random.nextInt(20) == 0 ? random.nextInt(300) : random.nextInt(4);
        List<Integer> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(tables.isEmpty() || random.nextBoolean() ? oid() : tables.get(random.nextInt(tables.size())).relationId());
        }
        int options = random.nextInt(10) == 0 ? random.nextInt(256) : random.nextInt(4);
        return new Truncate(xid, options, ids);
    }

    private LogicalMessage logicalMessage(int xid, boolean transactional) {
        byte[] content = random.nextBoolean() ? text().getBytes(StandardCharsets.UTF_8) : binaryValue();
        return new LogicalMessage(xid, transactional, lsn(), Names.any(random), content);
    }

    // ---- tuples

    /** A new row; {@code 'u'} only in an Update's new tuple, {@code 'b'} only in binary mode. */
    private TupleData newTuple(Table table, boolean unchangedAllowed) {
        TupleBuilder t = new TupleBuilder(random, table.columns());
        boolean sparse = table.columns() > 100;
        for (int i = 0; i < table.columns(); i++) {
            int pick = random.nextInt(sparse ? 40 : 10);
            if (pick == 0 || sparse && pick > 4) {
                t.nullValue();
            } else if (pick == 1 && unchangedAllowed) {
                t.unchangedToast();
            } else {
                value(t);
            }
        }
        return t.build();
    }

    /** Key columns carry values, the others are NULL (what the server sends for replica identity keys). */
    private TupleData oldKey(Table table) {
        TupleBuilder t = new TupleBuilder(random, table.columns());
        for (int i = 0; i < table.columns(); i++) {
            if (table.key()[i]) {
                value(t);
            } else {
                t.nullValue();
            }
        }
        return t.build();
    }

    /** A whole old row with TOAST inlined: values or NULL, never unchanged. */
    private TupleData oldRow(Table table) {
        TupleBuilder t = new TupleBuilder(random, table.columns());
        for (int i = 0; i < table.columns(); i++) {
            if (random.nextInt(8) == 0) {
                t.nullValue();
            } else {
                value(t);
            }
        }
        return t.build();
    }

    /** In binary mode most types have a send function; the others fall back to text per column. */
    private void value(TupleBuilder t) {
        if (binary && random.nextInt(4) != 0) {
            t.value(TupleData.BINARY, binaryValue());
        } else {
            t.value(TupleData.TEXT, text().getBytes(StandardCharsets.UTF_8));
        }
    }

    private String text() {
        return switch (random.nextInt(8)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> Long.toString(random.nextLong());
            case 2 -> Double.toString(random.nextDouble() * 1e6);
            case 3 -> "";
            case 4 -> Names.randomUnicode(random, random.nextInt(40));
            case 5 -> random.nextInt(30) == 0 ? "x".repeat(2000 + random.nextInt(6000)) : "hello world";
            case 6 -> "{\"a\": [1, 2, \"ü\"], \"b\": null}";
            default -> "2024-0" + (1 + random.nextInt(9)) + "-15 12:34:56.789+00";
        };
    }

    private byte[] binaryValue() {
        int length = switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 4;
            case 2 -> 8;
            case 3 -> 16;
            case 4 -> random.nextInt(64);
            default -> random.nextInt(30) == 0 ? 1000 + random.nextInt(4000) : random.nextInt(8);
        };
        byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }

    // ---- scalars

    private int columnCount() {
        int pick = random.nextInt(100);
        if (pick < 5) {
            return 0;
        }
        if (pick < 7) {
            return MAX_COLUMNS;
        }
        if (pick < 12) {
            return 20 + random.nextInt(300);
        }
        return 1 + random.nextInt(10);
    }

    private char identity() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> Relation.IDENTITY_DEFAULT;
            case 4, 5 -> Relation.IDENTITY_FULL;
            case 6 -> Relation.IDENTITY_INDEX;
            case 7 -> Relation.IDENTITY_NOTHING;
            default -> (char) random.nextInt(256); // passed through unchecked by contract
        };
    }

    /** Commit and prepare flags are 0 today; a decoder must pass future bits through. */
    private int flags() {
        return random.nextInt(20) == 0 ? random.nextInt(256) : 0;
    }

    /** OIDs are unsigned 32-bit: half of them look negative in Java. */
    private int oid() {
        return random.nextInt(4) == 0 ? random.nextInt() : 16384 + random.nextInt(100_000);
    }

    /** Non-zero: an xid of 0 means "absent" in the model. */
    private int xid() {
        int xid = random.nextInt(3) == 0 ? random.nextInt() : 500 + random.nextInt(1_000_000);
        return xid == 0 ? 1 : xid;
    }

    private long lsn() {
        return switch (random.nextInt(8)) {
            case 0 -> 0L;
            case 1 -> -1L;
            case 2 -> random.nextLong();
            default -> 0x1000000L + random.nextLong(1L << 40);
        };
    }

    private long timestamp() {
        return switch (random.nextInt(10)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> -random.nextLong(1L << 50);
            default -> 700_000_000_000_000L + random.nextLong(100_000_000_000_000L);
        };
    }
}
