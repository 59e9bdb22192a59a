package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An idle publication must not pin WAL: while only an unpublished table is written, the reader confirms
 * the server's WAL end and the slot's retained WAL shrinks back.
 */
class WalRetentionIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17).isolated();

    private static final long MB = 1024 * 1024;

    @Test
    void retainedWalFallsBackWhilePublishedTablesAreIdle(PostgresServer server) throws Exception {
        Database db = Database.on(server, "retain");
        db.execute("CREATE TABLE published (id int PRIMARY KEY)", "CREATE TABLE unpublished (id int, pad text)");
        db.createPublicationAndSlot("published");
        try (LogicalReplicationReader reader = db.reader().statusInterval(Duration.ofSeconds(1)).build()) {
            // About 200 MB of WAL that the publication does not care about.
            long walBefore = walPosition(server);
            for (int i = 0; i < 4; i++) {
                db.execute("INSERT INTO unpublished SELECT g, repeat(md5(g::text), 16) FROM generate_series(1, 100000) g",
                        "CHECKPOINT");
            }
            long written = walPosition(server) - walBefore;
            long retained = retainedWal(server, db.slot);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (retained >= 64 * MB && System.nanoTime() < deadline) {
                assertNull(reader.poll(Duration.ofMillis(500)));
                db.execute("CHECKPOINT"); // logs running transactions, where the slot's restart point can move
                retained = retainedWal(server, db.slot);
            }
            assertTrue(written >= 150 * MB, "the workload wrote " + written / MB + " MB of WAL");
            assertTrue(retained < 64 * MB, "the slot still retains " + retained / MB + " MB of the "
                    + written / MB + " MB written");
        } finally {
            db.dropSlot();
        }
    }

    private static long walPosition(PostgresServer server) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long retainedWal(PostgresServer server, String slot) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - restart_lsn FROM pg_replication_slots "
                     + "WHERE slot_name = '" + slot + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
