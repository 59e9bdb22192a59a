/**
 * The Panama pgoutput decoder: reads PostgreSQL logical replication messages through
 * {@link java.lang.foreign.MemorySegment} on JDK 22 and newer.
 *
 * <p>Nothing is exported; the decoder is found through {@link java.util.ServiceLoader} as the
 * {@code "panama"} {@link dev.pgoutput.spi.DecoderProvider}. This descriptor and the provider are compiled
 * for Java 17, so that a Java 17 runtime can resolve the module and ask the provider whether it is
 * supported (it answers no); the decoder itself lives in {@code META-INF/versions/22} of the jar.
 */
module dev.pgoutput.decoder.panama {
    requires dev.pgoutput.core;

    provides dev.pgoutput.spi.DecoderProvider with dev.pgoutput.decoder.panama.PanamaDecoderProvider;
}
