package dev.pgoutput.api;

import java.util.Objects;

/**
 * The server is not set up for this reader: a missing slot or publication, a slot of another plugin or
 * database, {@code wal_level} below {@code logical}, a rejected password or missing privileges. These
 * are permanent: retrying does not help, so the reader fails at once.
 *
 * <p>{@link #remedy()} holds what fixes it, usually the SQL to run; the message includes it too.
 */
public class ReplicationSetupException extends PgOutputException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the setup. */
    public enum Problem {
        /** The replication slot does not exist. */
        SLOT_MISSING,
        /** The slot exists but was created for another output plugin. */
        SLOT_WRONG_PLUGIN,
        /** The slot exists but belongs to another database, or is a physical slot. */
        SLOT_WRONG_DATABASE,
        /** A publication does not exist in the database. */
        PUBLICATION_MISSING,
        /** {@code wal_level} is not {@code logical}. */
        WAL_LEVEL,
        /** The server rejected the user or password. */
        AUTHENTICATION,
        /** The user lacks the REPLICATION attribute or a needed privilege. */
        PRIVILEGE,
        /** The server is too old for a requested option. */
        SERVER_VERSION,
        /** The database does not exist. */
        DATABASE_MISSING,
        /**
         * TLS cannot be set up as configured: the server's certificate is not trusted or does not name the
         * host, or the server does not offer TLS although {@code sslmode} requires it.
         */
        TLS,
        /** A slot could not be created: it exists already, or transactions kept it waiting too long. */
        SLOT_CREATION,
        /**
         * A snapshot cannot be taken as asked: a table without a key for an incremental snapshot, a table
         * the publication does not publish, a server too old, or an interrupted copy that cannot be finished.
         */
        SNAPSHOT
    }

    private final Problem problem;
    private final String remedy;

    /**
     * Creates a setup failure.
     *
     * @param problem what is wrong
     * @param message what was found
     * @param remedy  what fixes it (usually SQL), included in the message
     * @param cause   the server's error, if any
     */
    public ReplicationSetupException(Problem problem, String message, String remedy, Throwable cause) {
        super(message + (remedy == null || remedy.isEmpty() ? "" : "\nTo fix it: " + remedy), cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.remedy = remedy == null ? "" : remedy;
    }

    /** What is wrong. */
    public Problem problem() {
        return problem;
    }

    /** What fixes it, usually SQL to run; empty when there is no single fix. */
    public String remedy() {
        return remedy;
    }
}
