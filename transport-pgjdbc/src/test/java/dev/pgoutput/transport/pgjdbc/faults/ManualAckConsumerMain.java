package dev.pgoutput.transport.pgjdbc.faults;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import java.io.PrintStream;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * An application with manual acknowledgement, run in a child JVM by {@link ConsumerKillIT} and killed
 * with SIGKILL at random moments. For every event it prints {@code E <id> <commitLsn>} and after every
 * {@code acknowledge()} it prints {@code A}; each line is flushed at once, so what the parent read is what
 * the child had done when it died. It acknowledges after a random number of events (1–300), sometimes in
 * the middle of a transaction, and prints {@code DONE} once it has seen the row {@code lastId}.
 *
 * <p>Arguments: host port database user password slot publication lastId seed.
 */
public final class ManualAckConsumerMain {

    private ManualAckConsumerMain() {
    }

    /**
     * Runs the consumer.
     *
     * @param args host port database user password slot publication lastId seed
     */
    public static void main(String[] args) {
        int lastId = Integer.parseInt(args[7]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[8]));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(args[0]).port(Integer.parseInt(args[1])).database(args[2])
                .user(args[3]).password(args[4]).slot(args[5]).publication(args[6])
                .autoAcknowledge(false)
                .statusInterval(Duration.ofMillis(100))
                .build()) {
            int untilAck = 1 + random.nextInt(300);
            while (true) {
                ChangeEvent e = reader.poll(Duration.ofSeconds(60));
                if (e == null) {
                    out.println("TIMEOUT");
                    out.flush();
                    System.exit(2);
                }
                int id = ((Number) e.after().get("id")).intValue();
                out.println("E " + id + " " + e.source().commitLsn());
                out.flush();
                // Slow enough that the parent's kills land in the middle of the stream.
                LockSupport.parkNanos(100_000);
                if (--untilAck == 0 || id == lastId) {
                    reader.acknowledge();
                    out.println("A");
                    out.flush();
                    untilAck = 1 + random.nextInt(300);
                }
                if (id == lastId) {
                    break;
                }
            }
        }
        out.println("DONE");
        out.flush();
    }
}
