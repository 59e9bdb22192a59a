package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PostgresServer#dropDatabase}, as tests on a shared server use it to leave nothing behind. */
class DropDatabaseIT {

    @RegisterExtension static final PostgresExtension PG = PostgresExtension.version(17);

    @Test
    void dropsTheDatabaseWithItsSlotsOnceNoSessionHoldsOne(PostgresServer server) throws Exception {
        String name = "dropped_" + ProcessHandle.current().pid();
        server.createDatabase(name);
        Connection holder = server.connect(name);
        try (Statement s = holder.createStatement()) {
            s.execute("SELECT pg_create_logical_replication_slot('" + name + "_kept', 'pgoutput')");
            // A temporary slot is in use by the session that made it until the session ends, as a
            // walsender's slot is until the walsender ends; the server refuses to drop the database meanwhile.
            s.execute("SELECT pg_create_logical_replication_slot('" + name + "_held', 'pgoutput', true)");
        }
        CompletableFuture<Void> released = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
                holder.close();
            } catch (InterruptedException | SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        server.dropDatabase(name);
        assertTrue(released.isDone(), "dropped only after the session let the slot go");
        released.get(1, TimeUnit.SECONDS);
        try (Connection c = server.connect()) {
            assertEquals("0", EmbeddedPostgresIT.query(c,
                    "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"));
            assertEquals("0", EmbeddedPostgresIT.query(c,
                    "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '" + name + "%'"),
                    "the slots went with the database");
        }
    }

    @Test
    void aDatabaseThatIsNotThereIsAnError(PostgresServer server) {
        assertThrows(SQLException.class, () -> server.dropDatabase("never_created_" + ProcessHandle.current().pid()));
    }
}
