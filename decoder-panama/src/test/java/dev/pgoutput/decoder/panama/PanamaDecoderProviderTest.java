package dev.pgoutput.decoder.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.spi.DecoderProvider;
import org.junit.jupiter.api.Test;

/** The provider's contract; what the decoder does with the caller's buffers is in {@link BufferHandlingTest}. */
class PanamaDecoderProviderTest {

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
}
