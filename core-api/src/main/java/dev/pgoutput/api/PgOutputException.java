package dev.pgoutput.api;

/**
 * The root of every exception this library throws, so that callers can catch the library's failures
 * apart from their own.
 */
public class PgOutputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public PgOutputException(String message) {
        super(message);
    }

    /** Creates an exception with a message and a cause. */
    public PgOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
