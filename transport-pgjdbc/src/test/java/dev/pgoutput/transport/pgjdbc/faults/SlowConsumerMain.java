package dev.pgoutput.transport.pgjdbc.faults;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import java.time.Duration;
import java.util.BitSet;

/**
 * A deliberately slow application, run in a child JVM with a small heap by {@link SlowConsumerIT}: it
 * takes {@code count} events, sleeping 1 ms for each, checks that every id arrived once, and prints
 * {@code OK <events> <largest heap use sampled>}.
 *
 * <p>Arguments: host port database user password slot publication count.
 */
public final class SlowConsumerMain {

    private SlowConsumerMain() {
    }

    /**
     * Runs the consumer.
     *
     * @param args host port database user password slot publication count
     */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[7]);
        BitSet seen = new BitSet(count + 1);
        int events = 0;
        long peak = 0;
        Runtime runtime = Runtime.getRuntime();
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(args[0]).port(Integer.parseInt(args[1])).database(args[2])
                .user(args[3]).password(args[4]).slot(args[5]).publication(args[6])
                .build()) {
            while (events < count) {
                ChangeEvent e = reader.poll(Duration.ofSeconds(60));
                if (e == null) {
                    System.out.println("TIMEOUT after " + events + " events");
                    System.exit(2);
                }
                int id = (Integer) e.after().get("id");
                if (seen.get(id)) {
                    System.out.println("DUPLICATE " + id);
                    System.exit(3);
                }
                seen.set(id);
                events++;
                if (events % 500 == 0) {
                    peak = Math.max(peak, runtime.totalMemory() - runtime.freeMemory());
                }
                Thread.sleep(1);
            }
        }
        System.out.println("OK " + events + " " + peak);
    }
}
