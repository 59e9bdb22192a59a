package dev.pgoutput.decoder.panama;

import dev.pgoutput.spi.PgOutputDecoder;
import java.util.function.Supplier;

/**
 * The entry point that the Java 17 {@link PanamaDecoderProvider} loads by name once it has checked the
 * runtime version; a {@link Supplier} so that the provider needs no release-22 type to call it.
 */
final class PanamaDecoderFactory implements Supplier<PgOutputDecoder> {

    PanamaDecoderFactory() {
    }

    @Override
    public PgOutputDecoder get() {
        return new PanamaDecoder();
    }
}
