package dev.pgoutput.decoder.panama;

import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.PgOutputDecoder;
import java.util.function.Supplier;

/**
 * Provides the Panama ({@link java.lang.foreign.MemorySegment}) decoder under the name {@code "panama"}.
 *
 * <p>It wins over the portable {@code "bytebuffer"} decoder (priority 20 against 10) wherever it is
 * supported: on a JDK with the final FFM API, Java 22 or newer. On Java 17 to 21 it is still found by
 * {@link java.util.ServiceLoader}, on the class path and on the module path, and reports
 * {@link #isSupported()} {@code false} with the reason, so selection quietly falls back.
 *
 * <pre>{@code
 * DecoderProvider panama = new PanamaDecoderProvider();
 * if (panama.isSupported()) {
 *     PgOutputDecoder decoder = panama.create();
 * } else {
 *     System.out.println(panama.unsupportedReason()); // "needs Java 22 or newer ..."
 * }
 * }</pre>
 *
 * <p><b>Why this class is compiled for Java 17 and loads the decoder by name.</b> The jar is a
 * multi-release jar: this class and {@code module-info} are Java 17 class files at its root, the decoder
 * is compiled for release 22 under {@code META-INF/versions/22}. Had the provider been a release-22 class,
 * a Java 17 {@code ServiceLoader} would fail to instantiate it ({@code UnsupportedClassVersionError}
 * inside a {@code ServiceConfigurationError}), and on the module path the descriptor could not even be
 * read. So nothing here names a release-22 type: the implementation is reached through
 * {@link Class#forName} only after the version check, and the outcome is kept in a {@code static final}
 * holder, decided once per class loader.
 */
public final class PanamaDecoderProvider implements DecoderProvider {

    /** The name users select this decoder by. */
    public static final String NAME = "panama";

    /** The first Java feature release with the final Foreign Function &amp; Memory API (JEP 454). */
    static final int REQUIRED_FEATURE_VERSION = 22;

    private static final String FACTORY_CLASS = "dev.pgoutput.decoder.panama.PanamaDecoderFactory";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public PanamaDecoderProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public boolean isSupported() {
        return Implementation.FACTORY != null;
    }

    @Override
    public String unsupportedReason() {
        return Implementation.UNSUPPORTED_REASON;
    }

    @Override
    public String artifactId() {
        return "pgoutput-decoder-panama";
    }

    /**
     * Creates a Panama decoder.
     *
     * @throws UnsupportedOperationException when {@link #isSupported()} is false; the message says why
     */
    @Override
    public PgOutputDecoder create() {
        Supplier<PgOutputDecoder> factory = Implementation.FACTORY;
        if (factory == null) {
            throw new UnsupportedOperationException("the " + NAME + " decoder cannot run here: "
                    + Implementation.UNSUPPORTED_REASON);
        }
        return factory.get();
    }

    /**
     * The decision, made once when first needed. A holder rather than fields of the provider so that
     * {@code ServiceLoader} instantiating the provider costs nothing, and so that a failure to load the
     * implementation is reported the same way every time.
     */
    private static final class Implementation {

        static final Supplier<PgOutputDecoder> FACTORY;
        static final String UNSUPPORTED_REASON;

        static {
            Supplier<PgOutputDecoder> factory = null;
            String reason;
            int feature = Runtime.version().feature();
            if (feature < REQUIRED_FEATURE_VERSION) {
                reason = "needs Java " + REQUIRED_FEATURE_VERSION + " or newer (the final FFM API, JEP 454); "
                        + "this runtime is Java " + Runtime.version() + ". The \"bytebuffer\" decoder "
                        + "(artifact pgoutput-decoder-bytebuffer) runs on Java 17+.";
            } else {
                try {
                    factory = loadFactory();
                    reason = "";
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    // Typically a repackaged (shaded) jar that dropped "Multi-Release: true" or the
                    // META-INF/versions folder: the Java 17 part is there, the decoder is not.
                    reason = "runs on Java " + feature + " but cannot load its implementation " + FACTORY_CLASS
                            + " from META-INF/versions/" + REQUIRED_FEATURE_VERSION
                            + " (was the multi-release jar repackaged without \"Multi-Release: true\"?): " + e;
                }
            }
            FACTORY = factory;
            UNSUPPORTED_REASON = reason;
        }

        private Implementation() {
        }

        @SuppressWarnings("unchecked")
        private static Supplier<PgOutputDecoder> loadFactory() throws ReflectiveOperationException {
            Class<?> type = Class.forName(FACTORY_CLASS, true, PanamaDecoderProvider.class.getClassLoader());
            Object factory = type.getDeclaredConstructor().newInstance();
            Supplier<PgOutputDecoder> supplier = (Supplier<PgOutputDecoder>) factory;
            // Fail here, not in create(): one decoder proves the release-22 classes link on this runtime.
            supplier.get();
            return supplier;
        }
    }
}
