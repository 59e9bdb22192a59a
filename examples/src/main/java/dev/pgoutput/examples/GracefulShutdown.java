package dev.pgoutput.examples;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A graceful shutdown: on SIGTERM or Ctrl-C ({@code kill <pid>}, {@code docker stop}, a Kubernetes pod
 * ending) the JVM runs its shutdown hooks; the hook here calls {@link LogicalReplicationReader#stop()}, which ends
 * the iteration, and waits until the main thread has closed the reader — {@code close()} reports the acknowledged
 * position to the server — and printed it. A process that stops this way hands its successor exactly the events
 * it did not acknowledge; one that exits without closing leaves the slot at the last status update.
 *
 * <p>Run it with no arguments to follow a throwaway server written to in the background, or give
 * {@code host port database user password publication slot} to follow your own.
 */
public final class GracefulShutdown {

    /** How long the shutdown hook waits for the main thread to close the reader. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private GracefulShutdown() {
    }

    /**
     * Runs the example until the process is asked to stop.
     *
     * @param args nothing, or host port database user password publication slot
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 7) {
            follow(LogicalReplicationReader.builder().host(args[0]).port(Integer.parseInt(args[1]))
                    .database(args[2]).user(args[3]).password(args[4]).publication(args[5]).slot(args[6]), System.out);
            return;
        }
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(17).start()) {
            DemoDatabase.create(server);
            Thread writer = new Thread(() -> writeForever(server), "writer");
            writer.setDaemon(true);
            writer.start();
            System.out.println("Streaming; stop with Ctrl-C or kill " + ProcessHandle.current().pid());
            follow(DemoDatabase.reader(server), System.out);
        }
    }

    /** Streams until stopped, acknowledging each event once handled, and reports the position at the end. */
    static void follow(LogicalReplicationReader.Builder builder, PrintStream out) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        LogicalReplicationReader reader = builder.autoAcknowledge(false).build();
        Thread hook = new Thread(() -> {
            reader.stop();
            try {
                // The JVM exits when the hooks return: give the main thread the time to close.
                closed.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "graceful-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try (reader) {
                for (ChangeEvent event : reader) {
                    out.println("handled " + event.op() + " at " + Lsn.format(event.source().lsn()));
                    reader.acknowledge(event.source().lsn());
                }
            }
            // After close(): what the server was told, where the next reader starts.
            out.println("stopped; the server has the acknowledged position " + Lsn.format(reader.flushedLsn()));
            out.flush();
        } finally {
            closed.countDown();
        }
    }

    private static void writeForever(EmbeddedPostgres server) {
        try {
            for (int i = 1; ; i++) {
                DemoDatabase.execute(server, "INSERT INTO users (name) VALUES ('user " + i + "')");
                Thread.sleep(1000);
            }
        } catch (Exception e) {
            // The server is going away with the process.
        }
    }
}
