package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's flight-recorder events, read back from a real recording: the start and a reconnect after the
 * walsender was terminated ({@code dev.pgoutput.Connect}), the status updates with the positions the slot then
 * shows ({@code dev.pgoutput.StatusUpdate}), and a consumer that leaves a 4-event buffer full for a while ({@code
 * dev.pgoutput.BufferFull}).
 */
class JfrEventsIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @Test
    void connectStatusAndBufferFull(PostgresServer server, @TempDir Path dir) throws Exception {
        Database db = Database.inOwnDatabase(server, "jfr");
        db.execute("CREATE TABLE jfr (id int PRIMARY KEY)");
        db.createPublicationAndSlot("jfr");
        Path file = dir.resolve("reader.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.pgoutput.Connect");
            recording.enable("dev.pgoutput.StatusUpdate");
            recording.enable("dev.pgoutput.BufferFull").withThreshold(Duration.ofMillis(20));
            recording.start();
            try (LogicalReplicationReader reader = db.reader().bufferCapacity(4).reconnect(Database.FAST_RETRY)
                    .statusInterval(Duration.ofMillis(200)).build()) {
                db.execute("INSERT INTO jfr SELECT g FROM generate_series(1, 50) g");
                Thread.sleep(500);   // the application does not take anything: the buffer stays full
                Database.take(reader, 50);
                db.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                        + db.slot + "'");
                db.execute("INSERT INTO jfr VALUES (51)");
                Database.take(reader, 1);
                Thread.sleep(600);   // a few status updates with the acknowledged position
            }
            recording.stop();
            recording.dump(file);
        } finally {
            db.dropSlot();
        }
        assertTrue(Files.size(file) > 0);
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);

        List<RecordedEvent> connects = named(events, "dev.pgoutput.Connect");
        assertTrue(connects.stream().anyMatch(e -> e.getString("kind").equals("start") && e.getBoolean("succeeded")),
                "a successful start: " + connects);
        assertTrue(connects.stream().anyMatch(e -> e.getString("kind").equals("reconnect") && e.getBoolean("succeeded")),
                "a successful reconnect: " + connects);
        connects.forEach(e -> {
            assertEquals(db.slot, e.getString("slot"));
            assertEquals(server.host() + ":" + server.port(), e.getString("server"));
        });

        List<RecordedEvent> updates = named(events, "dev.pgoutput.StatusUpdate");
        assertFalse(updates.isEmpty(), "status updates were recorded");
        long lastFlushed = updates.stream().mapToLong(e -> Lsn.parse(e.getString("flushed"))).max().orElseThrow();
        assertTrue(lastFlushed > 0, "a flushed position: " + updates);
        updates.forEach(e -> assertEquals(db.slot, e.getString("slot")));

        List<RecordedEvent> full = named(events, "dev.pgoutput.BufferFull");
        assertFalse(full.isEmpty(), "the wait on the full buffer was recorded");
        RecordedEvent longest = full.stream().max((a, b) -> a.getDuration().compareTo(b.getDuration())).orElseThrow();
        assertEquals(db.slot, longest.getString("slot"));
        assertEquals(4, longest.getInt("bufferedEvents"), "the buffer held its capacity: " + longest);
        assertTrue(longest.getDuration().toMillis() >= 20, longest.toString());
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }
}
