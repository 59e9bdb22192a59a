package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.PgOutputDecoder;

/**
 * Provides the portable {@link ByteBufferDecoder} under the name {@code "bytebuffer"}.
 *
 * <p>It runs on every Java 17+ runtime, so it is always supported; its low priority lets a faster
 * decoder (Panama) win when one is on the class path and usable. Select it explicitly with
 * {@code -Dpgoutput.decoder=bytebuffer} or the builder option {@code decoder("bytebuffer")}.
 */
public final class ByteBufferDecoderProvider implements DecoderProvider {

    /** The name users select this decoder by. */
    public static final String NAME = "bytebuffer";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public ByteBufferDecoderProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean isSupported() {
        return true;
    }

    @Override
    public String artifactId() {
        return "pgoutput-decoder-bytebuffer";
    }

    @Override
    public PgOutputDecoder create() {
        return new ByteBufferDecoder();
    }
}
