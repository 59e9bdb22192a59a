/**
 * The portable pgoutput decoder: reads PostgreSQL logical replication messages from a
 * {@link java.nio.ByteBuffer} on any Java 17+ runtime.
 *
 * <p>Nothing is exported; the decoder is found through {@link java.util.ServiceLoader} as the
 * {@code "bytebuffer"} {@link dev.pgoutput.spi.DecoderProvider}.
 */
module dev.pgoutput.decoder.bytebuffer {
    requires dev.pgoutput.core;

    provides dev.pgoutput.spi.DecoderProvider with dev.pgoutput.decoder.bytebuffer.ByteBufferDecoderProvider;
}
