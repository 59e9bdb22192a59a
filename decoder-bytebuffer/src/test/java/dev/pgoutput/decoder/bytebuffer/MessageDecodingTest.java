package dev.pgoutput.decoder.bytebuffer;

import static dev.pgoutput.testing.PgOutputBytes.b;
import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static dev.pgoutput.testing.PgOutputBytes.tRaw;
import static dev.pgoutput.testing.PgOutputBytes.u;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.pgoutput.testing.PgOutputBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every message type, decoded from bytes written by hand from the protocol tables. */
class MessageDecodingTest {

    private static final long LSN = 0x0000_0001_6B37_48A0L;
    private static final long LSN_A = 0x0102_0304_0506_0708L;
    private static final long LSN_B = 0x8000_0000_0000_0001L;
    private static final long TS = 0x0002_C0FF_EE00_1234L;
    private static final long TS_2 = 0x0002_C0FF_EE00_5678L;

    private final ByteBufferDecoder decoder = new ByteBufferDecoder();

    private PgOutputMessage decode(byte[] bytes) {
        return decoder.decode(ByteBuffer.wrap(bytes), LSN);
    }

    private static byte[] hex(String hex) {
        String s = hex.replace(" ", "");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    @Test
    void beginFromLiteralBytes() {
        // 'B', final_lsn 1/16B37480, commit_ts, xid 746
        byte[] wire = hex("42 00000001 16B37480 0002C0FF EE001234 000002EA");
        assertEquals(new Begin(0x0000_0001_16B3_7480L, TS, 746), decode(wire));
    }

    @Test
    void insertFromLiteralBytes() {
        // 'I', relid 16384, 'N', 3 columns: 't' len 1 "1", 'n', 'u'
        byte[] wire = hex("49 00004000 4E 0003 74 00000001 31 6E 75");
        assertArrayEquals(wire, PgOutputBytes.insert(16384).tuple(t("1"), n(), u()).bytes(),
                "the test builder writes what the spec says");
        Insert insert = (Insert) decode(wire);
        assertEquals(0, insert.xid());
        assertEquals(16384, insert.relationId());
        TupleData row = insert.newTuple();
        assertEquals(3, row.columnCount());
        assertEquals('t', row.kind(0));
        assertEquals("1", row.text(0));
        assertTrue(row.isNull(1));
        assertTrue(row.isUnchangedToast(2));
        assertNull(row.text(2));
    }

    @Test
    void begin() {
        assertEquals(new Begin(LSN_A, TS, -2), decode(PgOutputBytes.begin(LSN_A, TS, 0xFFFF_FFFE).bytes()));
    }

    @Test
    void commit() {
        assertEquals(new Commit(0, LSN_A, LSN_B, TS), decode(PgOutputBytes.commit(0, LSN_A, LSN_B, TS).bytes()));
    }

    @Test
    void commitFlagsAreUnsigned() {
        assertEquals(255, ((Commit) decode(PgOutputBytes.commit(0xFF, 1, 2, 3).bytes())).flags());
    }

    @Test
    void originWithUnicodeName() {
        byte[] wire = PgOutputBytes.message('O').int64(LSN_A).string("node_ä€😀").bytes();
        assertEquals(new Origin(LSN_A, "node_ä€😀"), decode(wire));
    }

    @Test
    void relationWithUnicodeNamesAndEmptyNamespace() {
        byte[] wire = PgOutputBytes.relation(16384, "", "täble_✓", 'f', 3)
                .column(1, "id", 23, -1)
                .column(0, "naïve", 1043, 68)
                .column(0x81, "😀", 0xFFFF_FFF0, 0)
                .bytes();
        Relation expected = new Relation(0, 16384, "", "täble_✓", 'f', List.of(
                new Relation.Column(1, "id", 23, -1),
                new Relation.Column(0, "naïve", 1043, 68),
                new Relation.Column(0x81, "😀", 0xFFFF_FFF0, 0)));
        Relation relation = (Relation) decode(wire);
        assertEquals(expected, relation);
        assertTrue(relation.columns().get(0).isKey());
        assertFalse(relation.columns().get(1).isKey());
    }

    @Test
    void relationWithoutColumns() {
        byte[] wire = PgOutputBytes.relation(42, "public", "empty", 'n', 0).bytes();
        assertEquals(new Relation(0, 42, "public", "empty", 'n', List.of()), decode(wire));
    }

    @Test
    void type() {
        byte[] wire = PgOutputBytes.message('Y').int32(90001).string("public").string("mood").bytes();
        assertEquals(new Type(0, 90001, "public", "mood"), decode(wire));
    }

    @Test
    void insertWithEveryTupleKind() {
        Insert insert = (Insert) decode(PgOutputBytes.insert(7)
                .tuple(t("42"), n(), u(), b(0x00, 0x00, 0x00, 0x2A), t("")).bytes());
        TupleData row = insert.newTuple();
        assertEquals(5, row.columnCount());
        assertEquals("42", row.text(0));
        assertTrue(row.isNull(1));
        assertFalse(row.hasValue(1));
        assertTrue(row.isUnchangedToast(2));
        assertEquals(TupleData.BINARY, row.kind(3));
        assertArrayEquals(new byte[] {0, 0, 0, 42}, row.copyValue(3));
        assertEquals("", row.text(4), "an empty text value is not NULL");
        assertEquals(0, row.valueLength(4));
    }

    @Test
    void binaryTupleMayMixTextColumns() {
        Insert insert = (Insert) decode(PgOutputBytes.insert(7)
                .tuple(b(0, 0, 0, 1), t("{1,2}"), b(0x01), n()).bytes());
        TupleData row = insert.newTuple();
        assertEquals(TupleData.BINARY, row.kind(0));
        assertEquals(TupleData.TEXT, row.kind(1));
        assertEquals("{1,2}", row.text(1));
        assertEquals(TupleData.BINARY, row.kind(2));
        assertArrayEquals(new byte[] {1}, row.copyValue(2));
        assertTrue(row.isNull(3));
    }

    @Test
    void unicodeTextValue() {
        Insert insert = (Insert) decode(PgOutputBytes.insert(7).tuple(t("grüße 🌍")).bytes());
        assertEquals("grüße 🌍", insert.newTuple().text(0));
        assertEquals("grüße 🌍".getBytes(StandardCharsets.UTF_8).length, insert.newTuple().valueLength(0));
    }

    @Test
    void tupleValuesAreNotValidatedAsUtf8() {
        byte[] bad = {(byte) 0xC3, 0x28};
        Insert insert = (Insert) decode(PgOutputBytes.insert(7).tuple(tRaw(bad)).bytes());
        assertArrayEquals(bad, insert.newTuple().copyValue(0));
    }

    @Test
    void updateWithoutOldTuple() {
        Update update = (Update) decode(PgOutputBytes.update(9).newTuple(t("1"), t("b")).bytes());
        assertEquals(0, update.xid());
        assertEquals(9, update.relationId());
        assertEquals(0, update.oldKind());
        assertNull(update.oldTuple());
        assertEquals("b", update.newTuple().text(1));
    }

    @Test
    void updateWithOldKey() {
        Update update = (Update) decode(PgOutputBytes.update(9)
                .oldKey(t("1"), n()).newTuple(t("2"), t("b")).bytes());
        assertEquals('K', update.oldKind());
        assertEquals("1", update.oldTuple().text(0));
        assertTrue(update.oldTuple().isNull(1));
        assertEquals("2", update.newTuple().text(0));
    }

    @Test
    void updateWithOldRowAndUnchangedToast() {
        Update update = (Update) decode(PgOutputBytes.update(9)
                .oldRow(t("1"), t("long value")).newTuple(t("1"), u()).bytes());
        assertEquals('O', update.oldKind());
        assertEquals("long value", update.oldTuple().text(1));
        assertTrue(update.newTuple().isUnchangedToast(1));
    }

    @Test
    void deleteWithOldKeyOrOldRow() {
        Delete byKey = (Delete) decode(PgOutputBytes.delete(11).oldKey(t("5"), n()).bytes());
        assertEquals('K', byKey.oldKind());
        assertEquals(11, byKey.relationId());
        assertEquals("5", byKey.oldTuple().text(0));
        Delete byRow = (Delete) decode(PgOutputBytes.delete(11).oldRow(t("5"), t("x")).bytes());
        assertEquals('O', byRow.oldKind());
        assertEquals("x", byRow.oldTuple().text(1));
    }

    @Test
    void truncate() {
        byte[] wire = PgOutputBytes.message('T').int32(3).int8(Truncate.CASCADE | Truncate.RESTART_IDENTITY)
                .int32(16384).int32(16390).int32(0xFFFF_FFFF).bytes();
        assertEquals(new Truncate(0, 3, List.of(16384, 16390, -1)), decode(wire));
    }

    @Test
    void truncateWithoutRelations() {
        assertEquals(new Truncate(0, 0, List.of()), decode(PgOutputBytes.message('T').int32(0).int8(0).bytes()));
    }

    @Test
    void logicalMessages() {
        byte[] transactional = PgOutputBytes.message('M').int8(1).int64(LSN_A).string("wal2json")
                .int32(3).raw((byte) 'b', (byte) 'a', (byte) 'r').bytes();
        assertEquals(new LogicalMessage(0, true, LSN_A, "wal2json", new byte[] {'b', 'a', 'r'}),
                decode(transactional));
        byte[] plain = PgOutputBytes.message('M').int8(0).int64(LSN_B).string("").int32(0).bytes();
        assertEquals(new LogicalMessage(0, false, LSN_B, "", new byte[0]), decode(plain));
    }

    @Test
    void logicalMessageContentIsCopied() {
        byte[] wire = PgOutputBytes.message('M').int8(1).int64(1).string("p").int32(2).raw((byte) 7, (byte) 8).bytes();
        LogicalMessage message = (LogicalMessage) decode(wire);
        wire[wire.length - 1] = 0;
        assertArrayEquals(new byte[] {7, 8}, message.content());
    }

    @Test
    void streamStartStopCommitAbort() {
        assertEquals(new StreamStart(-5, true), decode(PgOutputBytes.message('S').int32(-5).int8(1).bytes()));
        assertEquals(new StreamStop(), decode(PgOutputBytes.message('E').bytes()));
        assertEquals(new StreamStart(777, false), decode(PgOutputBytes.message('S').int32(777).int8(0).bytes()));
        assertEquals(new StreamStop(), decode(PgOutputBytes.message('E').bytes()));
        assertEquals(new StreamCommit(777, 0, LSN_A, LSN_B, TS),
                decode(PgOutputBytes.message('c').int32(777).int8(0).int64(LSN_A).int64(LSN_B).int64(TS).bytes()));
    }

    @Test
    void streamAbortWithAndWithoutTheProtocol4Tail() {
        assertEquals(new StreamAbort(777, 778, 0, 0),
                decode(PgOutputBytes.message('A').int32(777).int32(778).bytes()));
        assertEquals(new StreamAbort(777, 777, LSN_A, TS),
                decode(PgOutputBytes.message('A').int32(777).int32(777).int64(LSN_A).int64(TS).bytes()));
    }

    @Test
    void twoPhaseMessages() {
        assertEquals(new BeginPrepare(LSN_A, LSN_B, TS, 900, "gid-1"), decode(PgOutputBytes.message('b')
                .int64(LSN_A).int64(LSN_B).int64(TS).int32(900).string("gid-1").bytes()));
        assertEquals(new Prepare(0, LSN_A, LSN_B, TS, 900, "gid-1"), decode(PgOutputBytes.message('P')
                .int8(0).int64(LSN_A).int64(LSN_B).int64(TS).int32(900).string("gid-1").bytes()));
        assertEquals(new CommitPrepared(0, LSN_A, LSN_B, TS, 900, "gïd"), decode(PgOutputBytes.message('K')
                .int8(0).int64(LSN_A).int64(LSN_B).int64(TS).int32(900).string("gïd").bytes()));
        assertEquals(new RollbackPrepared(0, LSN_A, LSN_B, TS, TS_2, 900, ""), decode(PgOutputBytes.message('r')
                .int8(0).int64(LSN_A).int64(LSN_B).int64(TS).int64(TS_2).int32(900).string("").bytes()));
        assertEquals(new StreamPrepare(0, LSN_A, LSN_B, TS, 901, "g"), decode(PgOutputBytes.message('p')
                .int8(0).int64(LSN_A).int64(LSN_B).int64(TS).int32(901).string("g").bytes()));
    }
}
