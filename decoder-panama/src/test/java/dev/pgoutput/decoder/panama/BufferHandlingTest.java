package dev.pgoutput.decoder.panama;

import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pgoutput.protocol.Insert;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.testing.PgOutputBytes;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * What only the Panama decoder promises about the caller's buffers: zero-copy heap reads and one exact
 * copy of a direct buffer. That both decoders give the same results for every buffer shape is the
 * conformance module's duel.
 */
class BufferHandlingTest {

    private static final byte[] INSERT = PgOutputBytes.insert(16384).tuple(t("hello"), n(), t("wörld")).bytes();

    @Test
    void heapBufferIsReadInPlace() {
        PgOutputDecoder decoder = Decoders.panama().create();
        byte[] backing = new byte[INSERT.length + 10];
        System.arraycopy(INSERT, 0, backing, 3, INSERT.length);
        Insert insert = (Insert) decoder.decode(ByteBuffer.wrap(backing, 3, INSERT.length), 1L);
        assertSame(backing, insert.newTuple().buffer(), "values are windows into the caller's array");
        assertEquals(3 + 13, insert.newTuple().valueOffset(0), "offsets are absolute in the backing array");
        assertEquals("wörld", insert.newTuple().text(2));
    }

    @Test
    void directBufferIsCopiedOnceAtExactSize() {
        PgOutputDecoder decoder = Decoders.panama().create();
        ByteBuffer direct = ByteBuffer.allocateDirect(INSERT.length + 8);
        direct.position(4);
        direct.put(INSERT).position(4).limit(4 + INSERT.length);
        Insert insert = (Insert) decoder.decode(direct, 1L);
        assertEquals(INSERT.length, insert.newTuple().buffer().length);
        direct.put(4 + 13, (byte) 'J');
        assertEquals("hello", insert.newTuple().text(0), "the value must not follow later buffer writes");
    }
}
