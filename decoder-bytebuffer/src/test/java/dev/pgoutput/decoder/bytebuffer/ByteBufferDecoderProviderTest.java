package dev.pgoutput.decoder.bytebuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.spi.DecoderProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ByteBufferDecoderProviderTest {

    @Test
    void foundByServiceLoader() {
        List<DecoderProvider> providers = ServiceLoader.load(DecoderProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("bytebuffer"))
                .toList();
        assertEquals(1, providers.size());
        assertInstanceOf(ByteBufferDecoderProvider.class, providers.get(0));
    }

    @Test
    void describesItself() {
        DecoderProvider provider = new ByteBufferDecoderProvider();
        assertEquals("bytebuffer", provider.name());
        assertEquals(10, provider.priority());
        assertTrue(provider.isSupported());
        assertEquals("", provider.unsupportedReason());
        assertEquals("pgoutput-decoder-bytebuffer", provider.artifactId());
    }

    @Test
    void createsAFreshDecoderEachTime() {
        DecoderProvider provider = new ByteBufferDecoderProvider();
        assertInstanceOf(ByteBufferDecoder.class, provider.create());
        assertNotSame(provider.create(), provider.create());
    }
}
