package dev.pgoutput.examples;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo schema both examples use: a {@code users} table, a publication and a slot. In production
 * these are created once by an administrator; the library itself never creates them.
 */
final class DemoDatabase {

    static final String PUBLICATION = "demo_pub";
    static final String SLOT = "demo_slot";

    private DemoDatabase() {
    }

    static void create(PostgresServer server) throws SQLException {
        execute(server,
                "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text, "
                        + "balance numeric(12,2) DEFAULT 0, created_at timestamptz DEFAULT now())",
                "ALTER TABLE users REPLICA IDENTITY FULL",
                "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE users",
                "SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
    }

    static void execute(PostgresServer server, String... statements) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static LogicalReplicationReader.Builder reader(PostgresServer server) {
        return LogicalReplicationReader.builder()
                .host(server.host()).port(server.port()).database(server.database())
                .user(server.user()).password(server.password())
                .publication(PUBLICATION).slot(SLOT);
    }
}
