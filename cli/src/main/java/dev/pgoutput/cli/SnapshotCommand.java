package dev.pgoutput.cli;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.SnapshotMode;
import dev.pgoutput.json.JsonLinesWriter;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pgoutput snapshot}: the published tables as Debezium JSON lines ({@code op "r"}) on stdout, copied
 * under the exported snapshot of a slot made for it and dropped afterwards; progress on stderr when that is
 * a terminal.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Copy the published tables to stdout as Debezium JSON lines.")
final class SnapshotCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--publication", required = true, split = ",", description = "publication(s) to copy")
    List<String> publications;

    @Option(names = "--tables", split = ",", description = "only these tables (schema.table)")
    List<String> tables;

    @Option(names = "--parallelism", defaultValue = "1", description = "connections copying at once (default: 1)")
    int parallelism;

    @Option(names = "--binary", description = "copy in binary where the column types allow it")
    boolean binary;

    @Override
    public Integer call() throws IOException {
        // A slot of its own, named for this process, made and dropped by the reader (INITIAL_ONLY).
        String slot = "pgoutput_snapshot_" + ProcessHandle.current().pid();
        LogicalReplicationReader.Builder builder = connection.builder()
                .publication(publications.toArray(String[]::new)).slot(slot)
                .snapshot(SnapshotMode.INITIAL_ONLY).snapshotParallelism(parallelism).binary(binary)
                .snapshotState(Path.of(System.getProperty("java.io.tmpdir"), "pgoutput-snapshot", slot + ".snapshot"));
        if (tables != null) {
            builder.tables(tables.toArray(String[]::new));
        }
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        long rows = 0;
        long started = System.nanoTime();
        try (LogicalReplicationReader reader = builder.build();
             JsonLinesWriter lines = new JsonLinesWriter(stdout, false)) {
            StatusLine status = StatusLine.onTerminal();
            while (true) {
                List<ChangeEvent> batch = reader.poll(4096, Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    if (reader.isEnded()) {
                        break;
                    }
                } else {
                    for (ChangeEvent e : batch) {
                        lines.write(e);
                    }
                    rows += batch.size();
                }
                status.show(reader.metrics(), false);
            }
            lines.flush();
            stdout.flush();
            status.show(reader.metrics(), true);
        }
        System.err.printf("pgoutput snapshot: %d rows in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
