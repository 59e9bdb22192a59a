package dev.pgoutput.api;

/**
 * A builder was given options that cannot work together, or a required option is missing. The message
 * says which option to change.
 */
public class ConfigurationException extends PgOutputException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception naming the option to change. */
    public ConfigurationException(String message) {
        super(message);
    }
}
