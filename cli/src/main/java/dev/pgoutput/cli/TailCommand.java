package dev.pgoutput.cli;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.SnapshotMode;
import dev.pgoutput.json.DebeziumJson;
import dev.pgoutput.json.JsonLinesWriter;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pgoutput tail}: one Debezium JSON event per line on stdout, each acknowledged only once it was
 * written and flushed, so that a pipe that dies loses nothing (the slot sends it again next time). A
 * status line on stderr when that is a terminal, and a summary at the end. Ctrl-C stops cleanly.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Stream a slot's changes as Debezium JSON lines to stdout.")
final class TailCommand implements Callable<Integer> {

    /** How long Ctrl-C waits for the last batch to be written and the reader to close. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--publication", required = true, split = ",", description = "publication(s) to stream")
    List<String> publications;

    @Option(names = "--slot", required = true, description = "the replication slot")
    String slot;

    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl (one event per line) or pretty")
    String format;

    @Option(names = "--snapshot", defaultValue = "never", description = "never or initial (copy the tables first)")
    String snapshot;

    @Option(names = "--create-slot", description = "create the slot when it is missing")
    boolean createSlot;

    @Option(names = "--binary", description = "ask for binary tuples")
    boolean binary;

    @Option(names = "--tables", split = ",", description = "only these tables (schema.table)")
    List<String> tables;

    @Option(names = "--max-events", defaultValue = "0", description = "stop after this many events (0: never)")
    long maxEvents;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("jsonl") && !format.equals("pretty")) {
            throw new IllegalArgumentException("--format is jsonl or pretty, got " + format);
        }
        LogicalReplicationReader.Builder builder = connection.builder()
                .publication(publications.toArray(String[]::new)).slot(slot)
                .autoAcknowledge(false).createSlot(createSlot).binary(binary)
                .snapshot(snapshotMode(snapshot));
        if (tables != null) {
            builder.tables(tables.toArray(String[]::new));
        }
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        long started = System.nanoTime();
        long events = 0;
        CountDownLatch finished = new CountDownLatch(1);
        try (LogicalReplicationReader reader = builder.build();
             JsonLinesWriter lines = new JsonLinesWriter(stdout, false)) {
            Thread stopper = new Thread(() -> stopCleanly(reader, finished), "pgoutput-tail-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            StatusLine status = StatusLine.onTerminal();
            while (maxEvents == 0 || events < maxEvents) {
                int room = maxEvents == 0 ? 4096 : (int) Math.min(4096, maxEvents - events);
                List<ChangeEvent> batch = reader.poll(room, Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    if (reader.isEnded()) {
                        break;
                    }
                    status.show(reader.metrics(), false);
                    continue;
                }
                for (ChangeEvent e : batch) {
                    if (format.equals("pretty")) {
                        lines.flush();
                        stdout.write((DebeziumJson.toJson(e) + "\n").getBytes(StandardCharsets.UTF_8));
                    } else {
                        lines.write(e);
                    }
                }
                // Out of this process before the slot may move past them: a dead pipe loses nothing.
                lines.flush();
                stdout.flush();
                reader.acknowledge();
                events += batch.size();
                status.show(reader.metrics(), false);
            }
            lines.flush();
            stdout.flush();
            reader.acknowledge();
            status.show(reader.metrics(), true);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running.
            }
        }
        System.err.printf("pgoutput tail: %d events in %.1f s%n", events, (System.nanoTime() - started) / 1e9);
        System.err.flush();
        finished.countDown();
        return 0;
    }

    /**
     * Ctrl-C or SIGTERM: ends the loop, waits until the main thread has written, acknowledged, closed the reader
     * (which reports the position to the server) and printed its summary — the JVM would exit as soon as the
     * hooks return — and then ends the process with status 0, since this is the way to stop {@code tail}. A
     * JVM left to itself would exit with 130 or 143.
     */
    private static void stopCleanly(LogicalReplicationReader reader, CountDownLatch finished) {
        reader.stop();
        try {
            if (finished.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                Runtime.getRuntime().halt(0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static SnapshotMode snapshotMode(String name) {
        return switch (name) {
            case "never" -> SnapshotMode.NEVER;
            case "initial" -> SnapshotMode.INITIAL;
            case "initial_only" -> SnapshotMode.INITIAL_ONLY;
            default -> throw new IllegalArgumentException("--snapshot is never, initial or initial_only, got " + name);
        };
    }
}
