package dev.pgoutput.transport.pgjdbc.faults;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.SnapshotMode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A reader that takes an initial snapshot slowly, run in a child JVM by {@code SnapshotKillIT} and killed
 * with SIGKILL in the middle of the copy. It prints {@code R <table> <id>} for each row it takes, flushed at once.
 *
 * <p>Arguments: host port database user password slot publication stateFile.
 */
public final class SnapshotReaderMain {

    private SnapshotReaderMain() {
    }

    /**
     * Runs the reader.
     *
     * @param args host port database user password slot publication stateFile
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(args[0]).port(Integer.parseInt(args[1])).database(args[2])
                .user(args[3]).password(args[4]).slot(args[5]).publication(args[6])
                .snapshot(SnapshotMode.INITIAL).snapshotParallelism(2).snapshotState(Path.of(args[7]))
                .bufferCapacity(64)
                .build()) {
            while (true) {
                ChangeEvent e = reader.poll(Duration.ofSeconds(60));
                if (e == null) {
                    System.exit(2);
                }
                out.println("R " + e.source().table() + " " + e.after().get("id"));
                out.flush();
                LockSupport.parkNanos(200_000);
            }
        }
    }
}
