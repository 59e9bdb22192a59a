package dev.pgoutput;

/**
 * The root of every exception this library throws, so that callers can catch the library's failures
 * apart from their own.
 *
 * <p>It lives in the root package because every package throws it: the API's exceptions
 * ({@code dev.pgoutput.api}) as well as value conversion ({@code dev.pgoutput.types}), which the API
 * depends on; kept in the API package, it made the two packages depend on each other.
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
