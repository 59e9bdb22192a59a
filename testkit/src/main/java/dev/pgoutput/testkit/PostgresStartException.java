package dev.pgoutput.testkit;

/**
 * Thrown when an embedded server cannot be set up or started: {@code initdb} failed, the
 * server exited during start-up, or it did not become ready in time. The message ends with the
 * last lines of the relevant log, which usually name the cause, for example
 * {@code FATAL: invalid value for parameter "wal_level": "bogus"}.
 */
public final class PostgresStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed, followed by the log tail
     * @param cause the underlying failure, or {@code null}
     */
    public PostgresStartException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates an exception without an underlying cause.
     *
     * @param message what failed, followed by the log tail
     */
    public PostgresStartException(String message) {
        super(message);
    }
}
