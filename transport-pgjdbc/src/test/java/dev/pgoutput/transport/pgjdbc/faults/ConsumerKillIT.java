package dev.pgoutput.transport.pgjdbc.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.transport.pgjdbc.ChildJvm;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The application dies: a child JVM reading with manual acknowledgement is killed with SIGKILL at random
 * moments, several times, and a new one takes over each time until one finishes the stream.
 *
 * <p>What must hold, judged by the server's own record (the slot's {@code confirmed_flush_lsn} after each
 * kill): every committed row arrives at least once over all runs; a transaction the slot had confirmed
 * before a run started never arrives in that run (duplicates are only ever of what was not yet
 * acknowledged and confirmed); and the acknowledgements do reach the server, so the confirmed position
 * moves during the test. A kill right after {@code acknowledge()} may come before the next status
 * update carried it to the server; those transactions come again, which at-least-once allows.
 *
 * <p>The seed is printed; {@code -Dkill.seed=N} repeats a run's kill times and acknowledgement points.
 */
class ConsumerKillIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    private static final int TRANSACTIONS = 30;
    private static final int ROWS_PER_TRANSACTION = 500;
    private static final int LAST_ID = TRANSACTIONS * ROWS_PER_TRANSACTION;
    private static final int KILLS = 6;

    @Test
    void killedConsumersLoseNothingAndRepeatOnlyUnconfirmedTransactions(PostgresServer server) throws Exception {
        long seed = Long.getLong("kill.seed", System.nanoTime());
        System.out.println("[ConsumerKillIT] seed " + seed + " (-Dkill.seed=" + seed + " repeats it)");
        SplittableRandom random = new SplittableRandom(seed);
        String slot = "kill_" + ProcessHandle.current().pid();
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE killed (id int PRIMARY KEY, pad text)");
            s.execute("CREATE PUBLICATION " + slot + " FOR TABLE killed");
            s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            for (int t = 0; t < TRANSACTIONS; t++) {
                s.execute("INSERT INTO killed SELECT g, md5(g::text) FROM generate_series("
                        + (t * ROWS_PER_TRANSACTION + 1) + ", " + ((t + 1) * ROWS_PER_TRANSACTION) + ") g");
            }
        }
        try {
            BitSet delivered = new BitSet(LAST_ID + 1);
            long confirmed = confirmedFlush(server, slot);
            long firstConfirmed = confirmed;
            int duplicates = 0;
            int kills = 0;
            List<String> summary = new ArrayList<>();
            for (int run = 0; ; run++) {
                boolean kill = run < KILLS;
                long killAfterMs = 600 + random.nextInt(2_000);
                List<String> lines = runChild(server, slot, random.nextLong(), kill ? killAfterMs : -1);
                int events = 0;
                for (String line : lines) {
                    if (!line.startsWith("E ")) {
                        continue;
                    }
                    String[] parts = line.split(" ");
                    int id = Integer.parseInt(parts[1]);
                    long commitLsn = Long.parseLong(parts[2]);
                    assertTrue(commitLsn >= confirmed, "run " + run + " got row " + id + " of a transaction committed at "
                            + LogSequenceNumber.valueOf(commitLsn) + ", which the slot had confirmed ("
                            + LogSequenceNumber.valueOf(confirmed) + ") before the run started; seed " + seed);
                    if (delivered.get(id)) {
                        duplicates++;
                    }
                    delivered.set(id);
                    events++;
                }
                boolean done = lines.contains("DONE");
                awaitSlotInactive(server, slot);
                long after = confirmedFlush(server, slot);
                summary.add("run " + run + (kill && !done ? " killed after " + killAfterMs + " ms" : " finished")
                        + ": " + events + " events, confirmed " + LogSequenceNumber.valueOf(after));
                assertTrue(after >= confirmed, "the confirmed position went back");
                confirmed = after;
                if (kill && !done) {
                    kills++;
                }
                if (done) {
                    // This consumer saw the last row before its kill time came: the stream is complete.
                    break;
                }
                assertTrue(kill, "the last consumer did not finish: " + tail(lines));
            }
            summary.forEach(line -> System.out.println("[ConsumerKillIT] " + line));
            System.out.println("[ConsumerKillIT] rows delivered more than once (unconfirmed when killed): " + duplicates);
            assertEquals(LAST_ID, delivered.cardinality(), "rows missing: first " + delivered.nextClearBit(1));
            assertTrue(kills >= 1, "no consumer was killed before it finished; seed " + seed);
            assertTrue(confirmed > firstConfirmed, "the acknowledgements never reached the server");
        } finally {
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                awaitSlotInactive(server, slot);
                s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
            }
        }
    }

    /** Runs one consumer; kills it with SIGKILL after {@code killAfterMs} unless it is -1 or it finished first. */
    private static List<String> runChild(PostgresServer server, String slot, long seed, long killAfterMs)
            throws Exception {
        ChildJvm child = ChildJvm.start(List.of(), ManualAckConsumerMain.class,
                server.host(), Integer.toString(server.port()), server.database(), server.user(),
                server.password(), slot, slot, Integer.toString(LAST_ID), Long.toString(seed));
        try (child) {
            if (killAfterMs >= 0) {
                if (!child.waitFor(killAfterMs, TimeUnit.MILLISECONDS)) {
                    child.kill();
                }
            }
            assertTrue(child.waitFor(3, TimeUnit.MINUTES), "the consumer did not end: " + tail(child.lines()));
        }
        return new ArrayList<>(child.lines());
    }

    private static long confirmedFlush(PostgresServer server, String slot) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '"
                     + slot + "'")) {
            assertTrue(rs.next(), "slot " + slot + " exists");
            return LogSequenceNumber.valueOf(rs.getString(1)).asLong();
        }
    }

    /** The walsender of a killed client ends when it sees the closed socket; the next reader needs the slot. */
    private static void awaitSlotInactive(PostgresServer server, String slot) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Connection c = server.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("slot " + slot + " still active 30 s after its consumer ended");
            }
            Thread.sleep(50);
        }
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
