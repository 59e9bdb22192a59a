package dev.pgoutput.transport.pgjdbc.faults;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A reader that creates its slot, asks for an incremental snapshot of one table and takes its rows
 * slowly, run in a child JVM by {@code SnapshotKillIT} and killed with SIGKILL in the middle. It prints
 * {@code R <id>} for each snapshot row it takes, flushed at once.
 *
 * <p>Arguments: host port database user password slot publication stateFile table.
 */
public final class IncrementalReaderMain {

    private IncrementalReaderMain() {
    }

    /**
     * Runs the reader.
     *
     * @param args host port database user password slot publication stateFile table
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(args[0]).port(Integer.parseInt(args[1])).database(args[2])
                .user(args[3]).password(args[4]).slot(args[5]).publication(args[6])
                .createSlot(true).snapshotState(Path.of(args[7])).bufferCapacity(64)
                .build()) {
            reader.snapshotTables(args[8]);
            while (true) {
                ChangeEvent e = reader.poll(Duration.ofSeconds(60));
                if (e == null) {
                    System.exit(2);
                }
                if (e.op() == Op.READ) {
                    out.println("R " + e.after().get("id"));
                    out.flush();
                }
                LockSupport.parkNanos(200_000);
            }
        }
    }
}
