package dev.pgoutput.decoder.bytebuffer;

import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.testing.PgOutputBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Position, limit, byte order, and views versus copies. */
class BufferHandlingTest {

    private static final byte[] INSERT = PgOutputBytes.insert(16384).tuple(t("hello"), n(), t("wörld")).bytes();

    private final ByteBufferDecoder decoder = new ByteBufferDecoder();

    private static void assertHelloRow(Insert insert) {
        assertEquals(16384, insert.relationId());
        TupleData row = insert.newTuple();
        assertEquals("hello", row.text(0));
        assertEquals(true, row.isNull(1));
        assertEquals("wörld", row.text(2));
    }

    @Test
    void heapBufferIsReadInPlaceAndItsPositionIsUnchanged() {
        byte[] backing = new byte[INSERT.length + 10];
        System.arraycopy(INSERT, 0, backing, 3, INSERT.length);
        ByteBuffer buffer = ByteBuffer.wrap(backing, 3, INSERT.length);
        Insert insert = (Insert) decoder.decode(buffer, 1L);
        assertEquals(3, buffer.position());
        assertEquals(3 + INSERT.length, buffer.limit());
        assertHelloRow(insert);
        assertSame(backing, insert.newTuple().buffer(), "values are views into the backing array");
        assertEquals(3 + 13, insert.newTuple().valueOffset(0), "offsets are absolute in the backing array");
    }

    @Test
    void sliceWithArrayOffset() {
        byte[] backing = new byte[INSERT.length + 20];
        System.arraycopy(INSERT, 0, backing, 7, INSERT.length);
        ByteBuffer slice = ByteBuffer.wrap(backing, 5, INSERT.length + 10).slice();
        slice.position(2).limit(2 + INSERT.length);
        assertHelloRow((Insert) decoder.decode(slice, 1L));
        assertEquals(2, slice.position());
    }

    @Test
    void bytesAfterTheLimitAreNotPartOfTheMessage() {
        byte[] commit = PgOutputBytes.commit(0, 1, 2, 3).bytes();
        ByteBuffer buffer = ByteBuffer.allocate(commit.length + 4).put(commit).flip();
        assertEquals(new Commit(0, 1, 2, 3), decoder.decode(buffer, 1L));
        ByteBuffer tooLong = ByteBuffer.allocate(commit.length + 4).put(commit);
        tooLong.flip().limit(commit.length + 4);
        assertThrows(DecodeException.class, () -> decoder.decode(tooLong, 1L));
    }

    @Test
    void directBufferIsCopied() {
        ByteBuffer direct = ByteBuffer.allocateDirect(INSERT.length + 4);
        direct.position(4);
        direct.put(INSERT).position(4);
        Insert insert = (Insert) decoder.decode(direct, 1L);
        assertEquals(4, direct.position());
        assertHelloRow(insert);
        direct.put(4 + 13, (byte) 'J');
        assertEquals("hello", insert.newTuple().text(0), "the value must not change with the buffer");
    }

    @Test
    void readOnlyBufferIsCopied() {
        byte[] backing = INSERT.clone();
        ByteBuffer readOnly = ByteBuffer.wrap(backing).asReadOnlyBuffer();
        Insert insert = (Insert) decoder.decode(readOnly, 1L);
        assertEquals(0, readOnly.position());
        assertHelloRow(insert);
        assertNotSame(backing, insert.newTuple().buffer());
        backing[13] = 'J';
        assertEquals("hello", insert.newTuple().text(0));
    }

    @Test
    void theBuffersByteOrderIsIgnored() {
        ByteBuffer little = ByteBuffer.wrap(INSERT).order(ByteOrder.LITTLE_ENDIAN);
        assertHelloRow((Insert) decoder.decode(little, 1L));
        assertEquals(ByteOrder.LITTLE_ENDIAN, little.order());
        ByteBuffer littleDirect = ByteBuffer.allocateDirect(INSERT.length).order(ByteOrder.LITTLE_ENDIAN);
        littleDirect.put(INSERT).flip();
        assertHelloRow((Insert) decoder.decode(littleDirect, 1L));
    }

    @Test
    void positionIsUnchangedWhenDecodingFails() {
        ByteBuffer truncated = ByteBuffer.wrap(INSERT, 0, INSERT.length - 1);
        assertThrows(DecodeException.class, () -> decoder.decode(truncated, 1L));
        assertEquals(0, truncated.position());
        assertEquals(INSERT.length - 1, truncated.limit());
    }
}
