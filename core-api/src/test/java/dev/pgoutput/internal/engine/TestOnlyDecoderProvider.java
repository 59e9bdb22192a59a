package dev.pgoutput.internal.engine;

import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.PgOutputDecoder;

/** A provider registered in the test class path after one that cannot load. */
public final class TestOnlyDecoderProvider implements DecoderProvider {

    @Override
    public String name() {
        return "test-only";
    }

    @Override
    public int priority() {
        return 1;
    }

    @Override
    public boolean isSupported() {
        return true;
    }

    @Override
    public String artifactId() {
        return "none";
    }

    @Override
    public PgOutputDecoder create() {
        throw new UnsupportedOperationException("not a real decoder");
    }
}
