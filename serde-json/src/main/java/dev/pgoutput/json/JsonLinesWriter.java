package dev.pgoutput.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgoutput.api.ChangeEvent;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Streams change events as JSON Lines: each event as compact Debezium JSON (see {@link DebeziumJson} for
 * the shape and the value rules) on its own line, every line ended by {@code \n}, UTF-8.
 *
 * <pre>{@code
 * try (JsonLinesWriter lines = new JsonLinesWriter(Files.newOutputStream(path))) {
 *     for (ChangeEvent e : reader) {
 *         lines.write(e);
 *         if (caughtUp) lines.flush();
 *     }
 * }
 * }</pre>
 *
 * <p>One generator stays open for the whole stream, so its buffers and field-name handling are set up
 * once. Output is buffered like a {@link java.io.BufferedOutputStream}: {@link #flush()} hands everything
 * written so far to the stream and flushes it; {@link #close()} does the same and then closes the stream
 * (unless the writer was made with {@code closeStream = false}, for {@code System.out}).
 *
 * <p>The stream only ever receives whole lines. When an event cannot be written (a malformed value that
 * must be converted raises {@link dev.pgoutput.types.ValueFormatException}), what was written of it is
 * dropped, the exception is thrown, and the writer stays usable for the next event.
 *
 * <p>Not thread-safe: use one writer per thread, or synchronize around it.
 */
public final class JsonLinesWriter implements AutoCloseable, Flushable {

    /** Buffered output goes to the stream in chunks of about this size. */
    private static final int PUSH_THRESHOLD = 8 * 1024;
    /** After one huge event, give the memory back instead of keeping a buffer that large. */
    private static final int RETAINED_CAPACITY = 1024 * 1024;

    private final OutputStream out;
    private final boolean closeStream;
    private final LineBuffer buffer = new LineBuffer();
    private JsonGenerator gen;
    private EventWriter events;
    private boolean closed;

    /**
     * A writer that closes {@code out} when it is closed.
     *
     * @param out where the lines go
     */
    public JsonLinesWriter(OutputStream out) {
        this(out, true);
    }

    /**
     * A writer over {@code out}.
     *
     * @param out         where the lines go
     * @param closeStream whether {@link #close()} closes {@code out} (otherwise it only flushes it)
     */
    public JsonLinesWriter(OutputStream out, boolean closeStream) {
        this.out = Objects.requireNonNull(out, "out");
        this.closeStream = closeStream;
        openGenerator();
    }

    /**
     * Writes one event as one line.
     *
     * @throws IOException when the stream fails or the writer is closed
     * @throws dev.pgoutput.types.ValueFormatException when a value that must be converted is malformed
     *         (nothing of the event is written)
     */
    public void write(ChangeEvent event) throws IOException {
        Objects.requireNonNull(event, "event");
        ensureOpen();
        int lineStart = buffer.size();
        boolean written = false;
        try {
            events.write(event);
            gen.writeRaw('\n');
            gen.flush(); // into the line buffer only: FLUSH_PASSED_TO_STREAM is off
            written = true;
        } finally {
            if (!written) {
                dropPartialLine(lineStart);
            }
        }
        if (buffer.size() >= PUSH_THRESHOLD) {
            push();
        }
    }

    /** Hands every line written so far to the stream and flushes the stream. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        push();
        out.flush();
    }

    /**
     * Flushes, then closes the stream if this writer owns it. Closing twice does nothing.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            push();
            gen.close();
        } finally {
            if (closeStream) {
                out.close();
            } else {
                out.flush();
            }
        }
    }

    private void openGenerator() {
        try {
            gen = DebeziumJson.FACTORY.createGenerator(buffer);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a generator over memory", e); // does not happen
        }
        events = new EventWriter(gen);
    }

    /** The generator is mid-object after a failure: discard it with what it wrote, start a new one. */
    private void dropPartialLine(int lineStart) {
        try {
            gen.close();
        } catch (IOException | RuntimeException e) {
            // Closing over memory does not fail; nothing of it is kept either way.
        }
        buffer.truncate(lineStart);
        openGenerator();
    }

    private void push() throws IOException {
        try {
            buffer.writeTo(out);
        } finally {
            buffer.reset();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("JsonLinesWriter is closed");
        }
    }

    /** An unsynchronized byte buffer that can forget its tail. */
    private static final class LineBuffer extends OutputStream {
        private byte[] bytes = new byte[PUSH_THRESHOLD + 1024];
        private int size;

        int size() {
            return size;
        }

        void truncate(int newSize) {
            size = newSize;
        }

        void writeTo(OutputStream target) throws IOException {
            if (size > 0) {
                target.write(bytes, 0, size);
            }
        }

        void reset() {
            size = 0;
            if (bytes.length > RETAINED_CAPACITY) {
                bytes = new byte[PUSH_THRESHOLD + 1024];
            }
        }

        @Override
        public void write(int b) {
            ensureCapacity(size + 1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureCapacity(size + len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensureCapacity(int needed) {
            if (needed < 0) {
                throw new OutOfMemoryError("JSON line longer than 2 GiB");
            }
            if (needed > bytes.length) {
                int doubled = (int) Math.min(2L * bytes.length, Integer.MAX_VALUE - 8);
                bytes = Arrays.copyOf(bytes, Math.max(needed, doubled));
            }
        }
    }
}
