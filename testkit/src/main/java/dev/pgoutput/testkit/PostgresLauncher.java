package dev.pgoutput.testkit;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Starts an embedded server from the command line and keeps it running until Enter or Ctrl-C,
 * for trying things out with psql or an IDE:
 *
 * <pre>{@code
 * java -cp <test kit class path> dev.pgoutput.testkit.PostgresLauncher 16 log_min_messages=debug1
 * }</pre>
 *
 * <p>Arguments: an optional major version (default 17), then server settings as
 * {@code name=value}.
 */
public final class PostgresLauncher {

    private PostgresLauncher() {}

    /**
     * Starts the server, prints how to connect and waits.
     *
     * @param args an optional major version, then {@code name=value} settings
     * @throws IOException if reading standard input fails
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals > 0) {
                builder.setting(arg.substring(0, equals), arg.substring(equals + 1));
            } else {
                builder.version(Integer.parseInt(arg));
            }
        }
        try (EmbeddedPostgres server = builder.start()) {
            describe(server, System.out);
            if (System.in.read() < 0) {
                // No terminal (stdin closed): run until Ctrl-C; the shutdown hook stops the server.
                Thread.currentThread().join();
            }
        }
    }

    private static void describe(EmbeddedPostgres server, PrintStream out) {
        out.println(server + " is running");
        out.println("  JDBC URL: " + server.jdbcUrl());
        out.println("  user:     " + server.user() + "  password: " + server.password());
        out.println(
                "  psql:     psql \"postgresql://" + server.user() + ":" + server.password() + "@"
                        + server.host() + ":" + server.port() + "/" + server.database() + "\"");
        out.println("  log:      " + server.logFile());
        out.println("Press Enter to stop, or Ctrl-C.");
    }
}
