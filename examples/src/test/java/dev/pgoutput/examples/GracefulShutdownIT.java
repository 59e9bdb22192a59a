package dev.pgoutput.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link GracefulShutdown} in a process of its own, sent SIGTERM after it handled some events: it exits by
 * itself, the position it prints is the slot's {@code confirmed_flush_lsn} and lies past every event it handled,
 * and a new reader gets none of them again. Without the shutdown hook the process would exit without closing,
 * the slot would stay at the last periodic status update (10 s by default) and the new reader would get the
 * events again.
 */
class GracefulShutdownIT {

    @Test
    void sigtermReportsTheAcknowledgedPosition() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(17).start()) {
            DemoDatabase.create(server);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    GracefulShutdown.class.getName(), server.host(), Integer.toString(server.port()),
                    server.database(), server.user(), server.password(), DemoDatabase.PUBLICATION, DemoDatabase.SLOT))
                    .redirectErrorStream(true).start();
            ChildOutput output = ChildOutput.of(child);
            List<String> lines = output.lines;
            try {
                DemoDatabase.execute(server, "INSERT INTO users (name) SELECT 'user ' || g FROM generate_series(1, 5) g",
                        "UPDATE users SET balance = 1 WHERE id = 2", "DELETE FROM users WHERE id = 3");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (handled(lines) < 7 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(7, handled(lines), "the child handled every change: " + lines);
                // SIGTERM, through the handle: Process.destroy() would also close our end of the child's output.
                child.toHandle().destroy();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not exit after SIGTERM: " + lines);
            } finally {
                child.toHandle().destroyForcibly();
            }
            output.awaitEnd();   // every line the child printed
            String stopped = lines.stream().filter(l -> l.startsWith("stopped; ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no final position printed: " + lines));
            long reported = Lsn.parse(stopped.substring(stopped.lastIndexOf(' ') + 1));
            long lastHandled = lines.stream().filter(l -> l.startsWith("handled "))
                    .mapToLong(l -> Lsn.parse(l.substring(l.lastIndexOf(' ') + 1))).max().orElseThrow();
            assertTrue(reported > lastHandled, "reported " + Lsn.format(reported) + " is past the last event "
                    + Lsn.format(lastHandled));
            assertEquals(reported, confirmedFlush(server), "the slot holds the printed position: " + lines);

            try (LogicalReplicationReader next = DemoDatabase.reader(server).build()) {
                ChangeEvent again = next.poll(Duration.ofSeconds(3));
                assertNull(again, "an event handled before the shutdown came again");
            }
        }
    }

    private static long handled(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("handled ")).count();
    }

    private static long confirmedFlush(EmbeddedPostgres server) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '"
                     + DemoDatabase.SLOT + "'")) {
            assertTrue(rs.next(), "the slot exists");
            return Lsn.parse(rs.getString(1));
        }
    }
}
