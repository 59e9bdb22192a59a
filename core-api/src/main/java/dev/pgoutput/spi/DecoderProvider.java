package dev.pgoutput.spi;

/**
 * Makes pgoutput decoders. Found with {@link java.util.ServiceLoader}.
 *
 * <p>Selection: an explicit builder option wins, then the system property {@code pgoutput.decoder},
 * then the supported provider with the highest {@link #priority()}.
 */
public interface DecoderProvider {

    /** The short name users select it by, for example {@code "bytebuffer"} or {@code "panama"}. */
    String name();

    /** Higher wins when nothing is selected explicitly. */
    int priority();

    /** Whether this provider can run on the current JVM. */
    boolean isSupported();

    /** Why {@link #isSupported()} is false; empty when it is supported. */
    default String unsupportedReason() {
        return "";
    }

    /**
     * The Maven artifact that ships this provider, for example {@code "pgoutput-decoder-panama"}: named in the
     * error when several providers tie for the highest priority, so the user sees which dependency to drop.
     */
    String artifactId();

    /**
     * Creates a decoder. Decoders keep no protocol state, but may reuse scratch objects between calls,
     * so each thread that decodes gets its own.
     */
    PgOutputDecoder create();
}
