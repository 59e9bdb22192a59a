package dev.pgoutput.api;

/**
 * The replication connection failed or was lost: a refused or reset connection, a server shutdown, a
 * terminated walsender. Such failures are usually transient; {@link #isTransient()} tells whether a
 * reconnect may help.
 */
public class ReplicationConnectionException extends PgOutputException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    /**
     * Creates a connection failure.
     *
     * @param message          what failed
     * @param transientFailure whether a reconnect may help
     * @param cause            the underlying error
     */
    public ReplicationConnectionException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Whether a reconnect may help. */
    public boolean isTransient() {
        return transientFailure;
    }
}
