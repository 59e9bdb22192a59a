package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.TransportProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the decoder and the transport among the providers on the class or module path.
 *
 * <p>Decoder order: the builder's choice, then the system property {@value #DECODER_PROPERTY}, then the
 * supported provider with the highest priority. Providers tied at the top are an error rather than a
 * silent pick.
 */
public final class ProviderSelection {

    /** The system property that selects a decoder when the builder does not. */
    public static final String DECODER_PROPERTY = "pgoutput.decoder";

    private static final Logger LOG = LoggerFactory.getLogger(ProviderSelection.class);

    private ProviderSelection() {
    }

    /** Selects a decoder provider; {@code requested} may be null. */
    public static DecoderProvider decoder(String requested) {
        return decoder(requested, System.getProperty(DECODER_PROPERTY), loadDecoders());
    }

    static DecoderProvider decoder(String requested, String property, List<DecoderProvider> all) {
        String wanted = requested != null ? requested : (property == null || property.isBlank() ? null : property.trim());
        if (wanted != null) {
            String how = requested != null ? "decoder(\"" + wanted + "\")" : "-D" + DECODER_PROPERTY + "=" + wanted;
            for (DecoderProvider p : all) {
                if (p.name().equals(wanted)) {
                    if (!p.isSupported()) {
                        throw new ConfigurationException("decoder '" + wanted + "' was requested with " + how
                                + " but cannot run here: " + p.unsupportedReason());
                    }
                    LOG.info("Using pgoutput decoder '{}' (requested with {})", wanted, how);
                    return p;
                }
            }
            throw new ConfigurationException("decoder '" + wanted + "' was requested with " + how
                    + " but is not on the class path; add the artifact dev.pgoutput:pgoutput-decoder-" + wanted
                    + " (available: " + names(all) + ")");
        }
        DecoderProvider best = null;
        List<DecoderProvider> tied = new ArrayList<>();
        for (DecoderProvider p : all) {
            if (!p.isSupported()) {
                LOG.debug("pgoutput decoder '{}' is not supported here: {}", p.name(), p.unsupportedReason());
                continue;
            }
            if (best == null || p.priority() > best.priority()) {
                best = p;
                tied.clear();
                tied.add(p);
            } else if (p.priority() == best.priority()) {
                tied.add(p);
            }
        }
        if (best == null) {
            throw new ConfigurationException("no pgoutput decoder is on the class path; add the artifact "
                    + "dev.pgoutput:pgoutput-decoder-bytebuffer (portable) or pgoutput-decoder-panama (JDK 22+)"
                    + (all.isEmpty() ? "" : " (present but unsupported here: " + names(all) + ")"));
        }
        if (tied.size() > 1) {
            // Naming the artifacts tells the user which dependency brought the extra decoder in.
            throw new ConfigurationException("several pgoutput decoders have the same priority (" + names(tied)
                    + " from the artifacts " + artifacts(tied) + "); choose one with decoder(...) or -D"
                    + DECODER_PROPERTY);
        }
        LOG.info("{}", chosen(best, all));
        return best;
    }

    /**
     * The log line for a decoder chosen by priority. It lists only the providers that can run here and says why
     * the others cannot: "highest priority of [bytebuffer, panama]" on a Java 17 runtime would read as if Panama
     * had lost on priority.
     */
    static String chosen(DecoderProvider best, List<DecoderProvider> all) {
        List<DecoderProvider> supported = all.stream().filter(DecoderProvider::isSupported).toList();
        StringBuilder line = new StringBuilder("Using pgoutput decoder '").append(best.name()).append('\'');
        line.append(supported.size() > 1 ? " (highest priority of " + names(supported) + ")" : " (the only one that "
                + "can run here)");
        for (DecoderProvider p : all) {
            if (!p.isSupported()) {
                line.append("; '").append(p.name()).append("' is on the class path but cannot run on Java ")
                        .append(Runtime.version().feature()).append(": ").append(p.unsupportedReason());
            }
        }
        return line.toString();
    }

    /**
     * Every decoder provider that can be instantiated here. A provider built for a newer Java than the
     * running one fails to load; it is skipped (and logged) so that the others still work.
     */
    static List<DecoderProvider> loadDecoders() {
        return loadDecoders(ProviderSelection.class.getClassLoader());
    }

    /** {@link #loadDecoders()} from {@code loader}. */
    static List<DecoderProvider> loadDecoders(ClassLoader loader) {
        List<DecoderProvider> all = new ArrayList<>();
        Iterator<DecoderProvider> it = ServiceLoader.load(DecoderProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return all;
                }
                all.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.debug("Skipping a pgoutput decoder that cannot load on Java {}: {}", Runtime.version().feature(),
                        e.toString());
            }
        }
    }

    /** Selects the transport; there is one today, pgjdbc. */
    public static TransportProvider transport() {
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class, ProviderSelection.class.getClassLoader())) {
            return p;
        }
        throw new ConfigurationException("no replication transport is on the class path; add the artifact "
                + "dev.pgoutput:pgoutput-transport-pgjdbc");
    }

    private static String names(List<DecoderProvider> providers) {
        return providers.stream().map(DecoderProvider::name).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String artifacts(List<DecoderProvider> providers) {
        return providers.stream().map(DecoderProvider::artifactId).collect(Collectors.joining(", ", "[", "]"));
    }
}
