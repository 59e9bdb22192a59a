package dev.pgoutput.spi;

import dev.pgoutput.api.ChangeEvent;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes change events in one format. Implementations are thread-safe.
 */
public interface EventSerializer {

    /** Writes one event to the stream, without a trailing separator. */
    void write(ChangeEvent event, OutputStream out) throws IOException;

    /** Serializes one event to bytes. */
    default byte[] serialize(ChangeEvent event) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
        try {
            write(event, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
