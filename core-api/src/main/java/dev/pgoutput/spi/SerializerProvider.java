package dev.pgoutput.spi;

import java.util.Map;

/**
 * Makes event serializers for a format. Found with {@link java.util.ServiceLoader}.
 */
public interface SerializerProvider {

    /** The format name, for example {@code "debezium-json"}. */
    String format();

    /**
     * Creates a serializer.
     *
     * @param options format options, for example {@code indent=2}; unknown options are an error
     */
    EventSerializer create(Map<String, String> options);
}
