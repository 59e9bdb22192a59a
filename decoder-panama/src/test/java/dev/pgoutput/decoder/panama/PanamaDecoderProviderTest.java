package dev.pgoutput.decoder.panama;

import dev.pgoutput.testing.PgOutputBytes;
import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.protocol.Insert;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.PgOutputDecoder;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The provider's contract and what only the Panama decoder promises: zero-copy heap reads. */
class PanamaDecoderProviderTest {

    private static final byte[] INSERT = PgOutputBytes.insert(16384).tuple(t("hello"), n(), t("wörld")).bytes();

    @Test
    void describesItself() {
        DecoderProvider p = new PanamaDecoderProvider();
        assertEquals("panama", p.name());
        assertEquals(20, p.priority());
        assertEquals("pgoutput-decoder-panama", p.artifactId());
        assertTrue(p.priority() > Decoders.reference().priority(), "wins over bytebuffer where supported");
    }

    @Test
    void supportedOnThisJdkWithAnEmptyReason() {
        DecoderProvider p = new PanamaDecoderProvider();
        assertEquals(Runtime.version().feature() >= 22, p.isSupported(), p.unsupportedReason());
        if (p.isSupported()) {
            assertEquals("", p.unsupportedReason());
            assertEquals("PanamaDecoder", p.create().getClass().getSimpleName());
        } else {
            assertTrue(p.unsupportedReason().contains("Java 22"), p.unsupportedReason());
        }
    }

    @Test
    void eachCreateIsANewDecoder() {
        DecoderProvider p = Decoders.panama();
        assertNotSame(p.create(), p.create());
    }

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
