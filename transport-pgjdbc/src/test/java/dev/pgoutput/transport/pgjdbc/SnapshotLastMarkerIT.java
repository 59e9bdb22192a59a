package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.SnapshotMode;
import dev.pgoutput.testkit.PostgresExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initial snapshot's very last row is marked {@code "last"} even when the piece of work copied last
 * has no rows: here an empty published table that sorts after the table with rows, copied by one
 * connection, so the empty table's range is deterministically the last one to finish.
 */
class SnapshotLastMarkerIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @TempDir
    Path dir;

    @Test
    void theLastRowIsMarkedLastWhenAnEmptyTableIsCopiedAfterIt() throws Exception {
        Database db = Database.inOwnDatabase(PG.server(17), "snaplast");
        db.execute("CREATE TABLE a_rows (id int PRIMARY KEY)", "CREATE TABLE z_empty (id int PRIMARY KEY)",
                "INSERT INTO a_rows SELECT g FROM generate_series(1, 10) g",
                "CREATE PUBLICATION " + db.publication + " FOR TABLE a_rows, z_empty");
        List<String> markers;
        try (LogicalReplicationReader reader = db.reader().snapshot(SnapshotMode.INITIAL).snapshotParallelism(1)
                .snapshotState(dir.resolve("last.snapshot")).build()) {
            markers = Database.take(reader, 10).stream().map(ChangeEvent::source).map(s -> s.snapshot()).toList();
            reader.acknowledge();
        } finally {
            db.dropSlot();
        }
        assertEquals("first", markers.get(0), markers.toString());
        assertEquals("last", markers.get(9), "the snapshot's last row: " + markers);
    }
}
