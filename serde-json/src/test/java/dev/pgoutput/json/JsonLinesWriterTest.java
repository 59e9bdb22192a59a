package dev.pgoutput.json;

import static dev.pgoutput.json.TestEvents.insert;
import static dev.pgoutput.json.TestEvents.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgoutput.api.Row;
import dev.pgoutput.types.PgType;
import dev.pgoutput.types.ValueFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesWriterTest {

    /** Counts what reached the stream and whether it was flushed or closed. */
    private static final class RecordingStream extends ByteArrayOutputStream {
        int flushes;
        boolean closed;

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    private static Row row(int id, String name) {
        return new RowBuilder().key("id", PgType.INT4, Integer.toString(id)).text("name", PgType.TEXT, name).row();
    }

    @Test
    void eachEventIsOneCompactLine() throws IOException {
        RecordingStream out = new RecordingStream();
        try (JsonLinesWriter lines = new JsonLinesWriter(out)) {
            lines.write(insert(row(1, "a")));
            lines.write(insert(row(2, "b\nc")));
        }
        String expectedFirst = "{\"before\":null,\"after\":{\"id\":1,\"name\":\"a\"},"
                + "\"source\":{\"version\":\"0.1.0\",\"connector\":\"pgoutput-decoder\",\"name\":\"srv\","
                + "\"ts_ms\":1709280000123,\"snapshot\":\"false\",\"db\":\"shop\",\"schema\":\"public\","
                + "\"table\":\"users\",\"lsn\":23803464,\"txId\":742,"
                + "\"sequence\":\"[\\\"23803416\\\",\\\"23803464\\\"]\",\"xmin\":null},"
                + "\"op\":\"c\",\"ts_ms\":1709280000123,\"ts_us\":1709280000123456,\"ts_ns\":1709280000123456789}";
        String[] lines = out.text().split("\n", -1);
        assertEquals(3, lines.length, out.text());
        assertEquals(expectedFirst, lines[0]);
        assertEquals("b\nc", parse(lines[1]).get("after").get("name").textValue());
        assertEquals("", lines[2], "every line ends with \\n, the last one too");
        assertTrue(out.closed);
    }

    @Test
    void manyEventsGiveAsManyParseableLines() throws IOException {
        int n = 2_000;
        RecordingStream out = new RecordingStream();
        try (JsonLinesWriter lines = new JsonLinesWriter(out)) {
            for (int i = 0; i < n; i++) {
                lines.write(insert(row(i, "name " + i + " \u00e9\r\n\t\"" + "x".repeat(i % 50))));
            }
        }
        String text = out.text();
        assertTrue(text.endsWith("\n"));
        List<String> lines = text.lines().toList();
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) {
            JsonNode event = parse(lines.get(i));
            assertEquals(i, event.get("after").get("id").intValue());
            assertEquals("name " + i + " \u00e9\r\n\t\"" + "x".repeat(i % 50), event.get("after").get("name").textValue());
        }
    }

    @Test
    void flushHandsEverythingToTheStream() throws IOException {
        RecordingStream out = new RecordingStream();
        JsonLinesWriter lines = new JsonLinesWriter(out, false);
        lines.write(insert(row(1, "a")));
        lines.flush();
        assertEquals(1, out.text().lines().count());
        assertTrue(out.text().endsWith("\n"));
        assertTrue(out.flushes > 0);
        lines.write(insert(row(2, "b")));
        lines.flush();
        assertEquals(2, out.text().lines().count());
        lines.close();
        assertFalse(out.closed, "closeStream = false");
    }

    @Test
    void aFailedEventLeavesNoTraceAndTheWriterGoesOn() throws IOException {
        RecordingStream out = new RecordingStream();
        try (JsonLinesWriter lines = new JsonLinesWriter(out)) {
            lines.write(insert(row(1, "before")));
            // Large enough that Jackson has already flushed part of the event when the bad date is reached.
            Row bad = new RowBuilder()
                    .key("id", PgType.INT4, "2")
                    .text("big", PgType.TEXT, "y".repeat(50_000))
                    .text("when", PgType.DATE, "2024-13-45")
                    .row();
            assertThrows(ValueFormatException.class, () -> lines.write(insert(bad)));
            lines.write(insert(row(3, "after")));
        }
        List<String> lines = out.text().lines().toList();
        assertEquals(2, lines.size(), out.text().length() + " chars");
        assertEquals(1, parse(lines.get(0)).get("after").get("id").intValue());
        assertEquals(3, parse(lines.get(1)).get("after").get("id").intValue());
    }

    @Test
    void closedWriterRefusesWrites() throws IOException {
        RecordingStream out = new RecordingStream();
        JsonLinesWriter lines = new JsonLinesWriter(out);
        lines.close();
        lines.close();
        assertTrue(out.closed);
        assertEquals("", out.text());
        assertThrows(IOException.class, () -> lines.write(insert(row(1, "a"))));
        assertThrows(IOException.class, lines::flush);
    }

    @Test
    void hugeEventsAreWrittenWhole() throws IOException {
        RecordingStream out = new RecordingStream();
        String big = "z".repeat(3_000_000);
        try (JsonLinesWriter lines = new JsonLinesWriter(out)) {
            lines.write(insert(row(1, big)));
            lines.write(insert(row(2, "small")));
        }
        List<String> lines = out.text().lines().toList();
        assertEquals(2, lines.size());
        assertEquals(big, parse(lines.get(0)).get("after").get("name").textValue());
        assertEquals("small", parse(lines.get(1)).get("after").get("name").textValue());
    }
}
