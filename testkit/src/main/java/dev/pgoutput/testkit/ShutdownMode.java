package dev.pgoutput.testkit;

/**
 * How {@link EmbeddedPostgres#restart(ShutdownMode)} stops the server, as {@code pg_ctl stop -m}.
 */
public enum ShutdownMode {
    /** Cut sessions, write a checkpoint, stop cleanly. */
    FAST("fast"),
    /** Stop at once without a checkpoint, like a crash; the next start runs crash recovery. */
    IMMEDIATE("immediate");

    private final String pgCtlName;

    ShutdownMode(String pgCtlName) {
        this.pgCtlName = pgCtlName;
    }

    /** The name {@code pg_ctl stop -m} takes. */
    String pgCtlName() {
        return pgCtlName;
    }
}
