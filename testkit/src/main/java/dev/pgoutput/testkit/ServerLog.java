package dev.pgoutput.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A log file written by a PostgreSQL tool, read back to explain a failure. */
final class ServerLog {

    static final int TAIL_LINES = 40;

    /** The tail is read from at most this many bytes, so a huge log cannot flood a message. */
    private static final int TAIL_BYTES = 16 * 1024;

    private final Path file;

    ServerLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The current length, to read later only what one attempt wrote. */
    long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // not written yet
        }
    }

    /** The last lines written after {@code fromOffset}, or a note saying why there are none. */
    String tail(long fromOffset) {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long start = Math.max(fromOffset, channel.size() - TAIL_BYTES);
            channel.position(start);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, channel.size() - start));
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading until full or end of file
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            List<String> lines = Arrays.asList(text.split("\\R"));
            List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            if (text.isBlank()) {
                return "(" + file + " is empty)";
            }
            return "--- last lines of " + file.getFileName() + " ---\n" + String.join("\n", tail);
        } catch (NoSuchFileException e) {
            return "(" + file + " was not written)";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
