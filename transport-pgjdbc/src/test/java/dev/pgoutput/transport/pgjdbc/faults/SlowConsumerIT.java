package dev.pgoutput.transport.pgjdbc.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.transport.pgjdbc.ChildJvm;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer that sleeps 1 ms per event, in a JVM with {@code -Xmx128m}, while 100,000 rows of 2 kB
 * (200 MB of row data) are committed: the bounded buffer keeps the heap small and nothing is lost.
 */
class SlowConsumerIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    private static final int ROWS = 100_000;

    @Test
    void heapStaysBoundedAndEveryRowArrives(PostgresServer server) throws Exception {
        String slot = "slow_" + ProcessHandle.current().pid();
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE slow (id int PRIMARY KEY, pad text)");
            s.execute("CREATE PUBLICATION " + slot + " FOR TABLE slow");
            s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            // Ten transactions of 10,000 rows, each row about 2 kB.
            for (int t = 0; t < 10; t++) {
                s.execute("INSERT INTO slow SELECT g, repeat(md5(g::text), 64) FROM generate_series("
                        + (t * 10_000 + 1) + ", " + ((t + 1) * 10_000) + ") g");
            }
        }
        try {
            ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), SlowConsumerMain.class,
                    server.host(), Integer.toString(server.port()), server.database(), server.user(),
                    server.password(), slot, slot, Integer.toString(ROWS));
            boolean done;
            try (child) {
                done = child.waitFor(10, TimeUnit.MINUTES);
            }
            String output = child.output();
            assertTrue(done, "the consumer did not finish: " + tail(output));
            assertEquals(0, child.exitValue(), tail(output));
            String result = output.lines().filter(l -> l.startsWith("OK ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no result line: " + tail(output)));
            String[] parts = result.split(" ");
            assertEquals(ROWS, Integer.parseInt(parts[1]));
            long peakHeap = Long.parseLong(parts[2]);
            // The child could not exceed 128 MB anyway (it would die of OutOfMemoryError); reaching the
            // end proves the bound held, and the peak shows how far below it the reader stayed.
            System.out.println("SlowConsumerIT: peak heap " + peakHeap / (1024 * 1024) + " MB for "
                    + ROWS + " events of 2 kB");
        } finally {
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
            }
        }
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
