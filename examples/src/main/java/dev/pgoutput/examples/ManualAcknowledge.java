package dev.pgoutput.examples;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Manual acknowledgement: process a batch, make the result durable, then acknowledge. A crash before
 * {@code acknowledge()} means the batch comes again, so nothing is lost; this example shows that by
 * "crashing" (closing without acknowledging) once and reading the same batch from a new reader.
 */
public final class ManualAcknowledge {

    private ManualAcknowledge() {
    }

    /**
     * Runs the example.
     *
     * @param args optional PostgreSQL major version
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 17, System.out);
    }

    /** Returns the ids seen by the crashing reader, then by the reader that acknowledged. */
    static List<List<Object>> run(int version, PrintStream out) throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(version).start()) {
            DemoDatabase.create(server);
            DemoDatabase.execute(server, "INSERT INTO users (name) SELECT 'user ' || g FROM generate_series(1, 5) g");

            List<Object> firstTry;
            try (LogicalReplicationReader reader = DemoDatabase.reader(server).autoAcknowledge(false).build()) {
                firstTry = batch(reader, 5);
                out.println("processed " + firstTry + ", then crashed before acknowledging");
            }
            List<Object> secondTry;
            try (LogicalReplicationReader reader = DemoDatabase.reader(server).autoAcknowledge(false).build()) {
                secondTry = batch(reader, 5);
                // ... write the batch somewhere durable, then:
                reader.acknowledge();
                out.println("processed " + secondTry + " again and acknowledged");
            }
            try (LogicalReplicationReader reader = DemoDatabase.reader(server).autoAcknowledge(false).build()) {
                ChangeEvent more = reader.poll(Duration.ofSeconds(1));
                out.println(more == null ? "a new reader gets nothing more: the batch was acknowledged"
                        : "unexpected event after acknowledging: " + more);
            }
            return List.of(firstTry, secondTry);
        }
    }

    private static List<Object> batch(LogicalReplicationReader reader, int size) {
        List<Object> ids = new ArrayList<>();
        while (ids.size() < size) {
            ChangeEvent e = reader.poll(Duration.ofSeconds(30));
            if (e == null) {
                throw new IllegalStateException("expected " + size + " events, got " + ids);
            }
            ids.add(e.after().get("id"));
        }
        return ids;
    }
}
