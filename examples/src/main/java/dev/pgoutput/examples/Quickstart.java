package dev.pgoutput.examples;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.json.DebeziumJson;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The quick start: starts a throwaway PostgreSQL, creates a table, a publication and a slot, makes
 * inserts, updates and deletes in the background, and prints each change as Debezium JSON.
 *
 * <p>Run it with the command in the README. Arguments: {@code [postgresMajorVersion]} (default 17).
 */
public final class Quickstart {

    /** The changes the background writer makes, one transaction each. */
    static final List<String> WORKLOAD = List.of(
            "INSERT INTO users (name, email, balance) VALUES ('Ada Lovelace', 'ada@example.com', 100.50)",
            "INSERT INTO users (name, email) VALUES ('Grace Hopper', 'grace@example.com')",
            "UPDATE users SET balance = balance + 25 WHERE name = 'Ada Lovelace'",
            "UPDATE users SET email = NULL WHERE name = 'Grace Hopper'",
            "DELETE FROM users WHERE name = 'Grace Hopper'");

    private Quickstart() {
    }

    /**
     * Runs the quick start.
     *
     * @param args optional PostgreSQL major version
     */
    public static void main(String[] args) throws Exception {
        int version = args.length > 0 ? Integer.parseInt(args[0]) : 17;
        int printed = run(version, System.out);
        System.err.println("Quick start done: " + printed + " change events streamed from PostgreSQL " + version + ".");
    }

    /** Runs the workload against a fresh server and prints every event; returns how many. */
    static int run(int version, PrintStream out) throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(version).start()) {
            DemoDatabase.create(server);
            try (LogicalReplicationReader reader = DemoDatabase.reader(server).build()) {
                // Write in the background while this thread streams, as an application would.
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        for (String sql : WORKLOAD) {
                            DemoDatabase.execute(server, sql);
                        }
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                int printed = 0;
                while (printed < WORKLOAD.size()) {
                    ChangeEvent event = reader.poll(Duration.ofSeconds(30));
                    if (event == null) {
                        writer.join(); // surfaces a failed write
                        throw new IllegalStateException("no change event within 30 s after " + printed + " events");
                    }
                    out.println(DebeziumJson.toJson(event));
                    printed++;
                }
                writer.join();
                reader.acknowledge();
                return printed;
            }
        }
    }
}
