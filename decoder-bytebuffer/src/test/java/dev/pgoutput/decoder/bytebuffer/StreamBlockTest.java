package dev.pgoutput.decoder.bytebuffer;

import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamCommit;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.protocol.Update;
import dev.pgoutput.spi.MessageSequenceDecoder;
import dev.pgoutput.testing.PgOutputBytes;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Int32 xid of R, Y, I, U, D, T and M is present only between Stream Start and Stream Stop. */
class StreamBlockTest {

    private static final int XID = 0x0001_E240;

    /** The engine's part: following the blocks of one stream. */
    private final MessageSequenceDecoder decoder = new MessageSequenceDecoder(new ByteBufferDecoder());

    private PgOutputMessage decode(byte[] bytes) {
        return decoder.next(ByteBuffer.wrap(bytes), 99L);
    }

    private static byte[] start(int xid) {
        return PgOutputBytes.message('S').int32(xid).int8(1).bytes();
    }

    private static byte[] stop() {
        return PgOutputBytes.message('E').bytes();
    }

    private static byte[] streamedInsert(int xid, int relid) {
        return PgOutputBytes.message('I').int32(xid).int32(relid).int8('N').tuple(t("1")).bytes();
    }

    @Test
    void everyStreamableMessageCarriesTheXidInsideABlock() {
        decode(start(XID));
        assertEquals(new Relation(XID, 5, "public", "t", 'd', List.of(new Relation.Column(1, "id", 23, -1))),
                decode(PgOutputBytes.message('R').int32(XID).int32(5).string("public").string("t").int8('d')
                        .int16(1).column(1, "id", 23, -1).bytes()));
        assertEquals(new Type(XID, 90001, "public", "mood"),
                decode(PgOutputBytes.message('Y').int32(XID).int32(90001).string("public").string("mood").bytes()));
        Insert insert = (Insert) decode(streamedInsert(XID, 5));
        assertEquals(XID, insert.xid());
        assertEquals(5, insert.relationId());
        assertEquals("1", insert.newTuple().text(0));
        Update update = (Update) decode(PgOutputBytes.message('U').int32(XID).int32(5)
                .oldKey(t("1")).newTuple(t("2")).bytes());
        assertEquals(XID, update.xid());
        assertEquals('K', update.oldKind());
        assertEquals("2", update.newTuple().text(0));
        Delete delete = (Delete) decode(PgOutputBytes.message('D').int32(XID).int32(5).oldKey(t("2"), n()).bytes());
        assertEquals(XID, delete.xid());
        assertEquals(new Truncate(XID, 0, List.of(5)),
                decode(PgOutputBytes.message('T').int32(XID).int32(1).int8(0).int32(5).bytes()));
        assertEquals(new LogicalMessage(XID, true, 7L, "p", new byte[] {1}),
                decode(PgOutputBytes.message('M').int32(XID).int8(1).int64(7).string("p").int32(1).raw((byte) 1)
                        .bytes()));
        decode(stop());
        Insert after = (Insert) decode(PgOutputBytes.insert(5).tuple(t("3")).bytes());
        assertEquals(0, after.xid(), "no xid after Stream Stop");
    }

    @Test
    void messagesWithTheirOwnXidIgnoreTheBlockState() {
        byte[] abort = PgOutputBytes.message('A').int32(XID).int32(XID + 1).bytes();
        byte[] commit = PgOutputBytes.message('c').int32(XID).int8(0).int64(1).int64(2).int64(3).bytes();
        StreamAbort outside = (StreamAbort) decode(abort);
        decode(start(XID));
        assertEquals(outside, decode(abort));
        assertEquals(new StreamCommit(XID, 0, 1, 2, 3), decode(commit));
    }

    @Test
    void theSameBytesOutsideABlockAreMalformed() {
        // Outside a block the xid would be read as the relid, and then its bytes no longer line up.
        DecodeException e = assertThrows(DecodeException.class, () -> decode(streamedInsert(XID, 5)));
        assertEquals('I', e.messageType());
        assertEquals(5, e.offset(), "the first byte of the relid is taken as the tuple marker");
    }

    @Test
    void streamStartInsideAnOpenBlockStartsANewBlock() {
        decode(start(XID));
        assertEquals(new StreamStart(XID + 1, true), decode(start(XID + 1)));
        assertEquals(XID + 1, ((Insert) decode(streamedInsert(XID + 1, 5))).xid());
    }

    @Test
    void streamStopOutsideABlockIsAccepted() {
        decode(stop());
        assertEquals(0, ((Insert) decode(PgOutputBytes.insert(5).tuple(t("1")).bytes())).xid());
    }

    @Test
    void malformedStreamStartDoesNotOpenABlock() {
        assertThrows(DecodeException.class, () -> decode(PgOutputBytes.message('S').int32(XID).bytes()));
        assertThrows(DecodeException.class, () -> decode(PgOutputBytes.message('S').int32(XID).int8(1).int8(0)
                .bytes()));
        assertEquals(0, ((Insert) decode(PgOutputBytes.insert(5).tuple(t("1")).bytes())).xid());
    }

    @Test
    void malformedStreamStopDoesNotCloseTheBlock() {
        decode(start(XID));
        assertThrows(DecodeException.class, () -> decode(PgOutputBytes.message('E').int8(0).bytes()));
        assertEquals(XID, ((Insert) decode(streamedInsert(XID, 5))).xid());
    }

    @Test
    void aFailureInsideABlockKeepsTheBlockOpen() {
        decode(start(XID));
        assertThrows(DecodeException.class, () -> decode(PgOutputBytes.message('I').int32(XID).bytes()));
        assertEquals(XID, ((Insert) decode(streamedInsert(XID, 5))).xid());
    }

    @Test
    void eachDecoderHasItsOwnState() {
        decode(start(XID));
        ByteBufferDecoder other = new ByteBufferDecoder();
        Insert insert = (Insert) other.decode(ByteBuffer.wrap(PgOutputBytes.insert(5).tuple(t("1")).bytes()), 0);
        assertEquals(0, insert.xid());
    }
}
