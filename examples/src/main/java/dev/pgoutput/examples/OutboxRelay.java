package dev.pgoutput.examples;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox pattern without an outbox table (PostgreSQL 14+). The business code writes its rows and, in
 * the same transaction, an outbox message with {@code pg_logical_emit_message(true, 'outbox', payload)};
 * the relay reads messages from the replication stream and publishes each one exactly when, and only
 * if, its transaction committed, in commit order. Nothing is ever written to or deleted from a table for
 * the outbox, and the publication can be empty: messages do not depend on published tables.
 *
 * <p>Here the "broker" is a list and the output; a real relay would send to Kafka, a queue or a webhook
 * and acknowledge after the broker confirmed, so that a crash resends instead of losing.
 */
public final class OutboxRelay {

    private static final String PUBLICATION = "outbox_pub";
    private static final String SLOT = "outbox_slot";

    private OutboxRelay() {
    }

    /**
     * Runs the example.
     *
     * @param args optional PostgreSQL major version (14 or newer)
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 17, System.out);
    }

    /** Runs five business transactions (the third rolls back) and returns the payloads relayed. */
    static List<String> run(int version, PrintStream out) throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(version).start()) {
            DemoDatabase.create(server);
            DemoDatabase.execute(server, "CREATE PUBLICATION " + PUBLICATION,
                    "SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
            try (LogicalReplicationReader relay = LogicalReplicationReader.builder()
                    .host(server.host()).port(server.port()).database(server.database())
                    .user(server.user()).password(server.password())
                    .publication(PUBLICATION).slot(SLOT)
                    .messages(true)
                    .autoAcknowledge(false)
                    .build()) {
                registerUsers(server, out);
                List<String> published = new ArrayList<>();
                while (published.size() < 4) {
                    ChangeEvent e = relay.poll(Duration.ofSeconds(30));
                    if (e == null) {
                        throw new IllegalStateException("expected 4 outbox messages, got " + published);
                    }
                    if (e.op() == Op.MESSAGE && e.message().prefix().equals("outbox")) {
                        String payload = e.message().contentAsString();
                        published.add(payload);                   // broker.send(payload) ...
                        relay.acknowledge();                      // ... and once it confirmed
                        out.println("relayed (tx " + e.source().txId() + "): " + payload);
                    }
                }
                return published;
            }
        }
    }

    /** The business side: each registration is a row and an outbox message in one transaction. */
    private static void registerUsers(EmbeddedPostgres server, PrintStream out) throws Exception {
        try (Connection c = server.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO users (name) VALUES (?) RETURNING id");
             PreparedStatement emit = c.prepareStatement("SELECT pg_logical_emit_message(true, 'outbox', ?)")) {
            c.setAutoCommit(false);
            for (String name : List.of("Ada", "Brian", "Carol", "Dennis", "Edsger")) {
                insert.setString(1, name);
                long id;
                try (var rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                emit.setString(1, "{\"type\":\"UserRegistered\",\"id\":" + id + ",\"name\":\"" + name + "\"}");
                emit.execute();
                if (name.equals("Carol")) {
                    c.rollback();                               // her row and her message vanish together
                    out.println("registration of " + name + " rolled back");
                } else {
                    c.commit();
                }
            }
        }
    }
}
