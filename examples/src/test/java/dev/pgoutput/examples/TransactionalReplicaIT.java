package dev.pgoutput.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The transactional replica killed with SIGKILL twice while a writer runs: after a last restart the target
 * equals the source row by row, and each source transaction was applied exactly once (none lost, none
 * doubled), whatever moment the kills hit.
 */
class TransactionalReplicaIT {

    private static final int TRANSACTIONS = 300;

    @Test
    void killedTwiceNothingLostNothingAppliedTwice() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(17).start()) {
            TransactionalReplica.prepare(server.jdbcUrl(), "kill_pub", "kill_slot");
            server.createDatabase("target");
            TransactionalReplica.prepareTarget(server.jdbcUrl("target"));
            Thread writer = new Thread(() -> write(server));
            writer.start();
            for (int kill = 0; kill < 2; kill++) {
                Process child = start(server);
                List<String> lines = ChildOutput.of(child).lines;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int before = applied(server);
                while (applied(server) < before + 60 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                child.destroyForcibly();   // SIGKILL: no close, no final status update
                child.waitFor(20, TimeUnit.SECONDS);
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("applied ")), "the child applied: " + lines);
            }
            writer.join();
            Process last = start(server);
            List<String> lines = ChildOutput.of(last).lines;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (applied(server) < TRANSACTIONS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500);   // anything doubled would show now
            last.destroyForcibly();
            last.waitFor(20, TimeUnit.SECONDS);
            assertEquals(table(server, server.database()), table(server, "target"), "the target equals the source");
            try (Connection c = server.connect("target"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT commit_lsn) FROM applied_transactions")) {
                rs.next();
                assertEquals(TRANSACTIONS, rs.getInt(2), "every source transaction applied: " + lines);
                assertEquals(TRANSACTIONS, rs.getInt(1), "none twice");
            }
        }
    }

    /** 300 transactions, each inserting three rows, updating one and deleting an older one. */
    private static void write(EmbeddedPostgres server) {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int t = 1; t <= TRANSACTIONS; t++) {
                s.execute("INSERT INTO ledger VALUES (" + (3 * t) + ", " + t + "), (" + (3 * t + 1) + ", 0), ("
                        + (3 * t + 2) + ", 0)");
                s.execute("UPDATE ledger SET amount = amount + 1 WHERE id = " + (3 * (t / 2) + 1));
                if (t > 10) {
                    s.execute("DELETE FROM ledger WHERE id = " + (3 * (t - 10) + 2));
                }
                c.commit();
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Process start(EmbeddedPostgres server) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                ReplicaChild.class.getName(), server.host(), Integer.toString(server.port()), server.database(),
                server.user(), server.password(), "kill_pub", "kill_slot", server.jdbcUrl("target")))
                .redirectErrorStream(true).start();
    }

    private static int applied(EmbeddedPostgres server) throws Exception {
        try (Connection c = server.connect("target"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(DISTINCT commit_lsn) FROM applied_transactions")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<Integer, Integer> table(EmbeddedPostgres server, String database) throws Exception {
        Map<Integer, Integer> rows = new TreeMap<>();
        try (Connection c = server.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, amount FROM ledger")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getInt(2));
            }
        }
        return rows;
    }
}
