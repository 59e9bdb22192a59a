package dev.pgoutput.json;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.spi.EventSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** The {@code debezium-json} serializer: {@link DebeziumJson} with a fixed indent. Stateless, so thread-safe. */
final class DebeziumJsonSerializer implements EventSerializer {

    private final int indent;
    private final JsonOptions options;

    DebeziumJsonSerializer(int indent) {
        this(indent, JsonOptions.DEFAULTS);
    }

    DebeziumJsonSerializer(int indent, JsonOptions options) {
        DebeziumJson.checkIndent(indent);
        this.indent = indent;
        this.options = options;
    }

    int indent() {
        return indent;
    }

    @Override
    public void write(ChangeEvent event, OutputStream out) throws IOException {
        DebeziumJson.write(event, out, indent, options);
    }

    @Override
    public byte[] serialize(ChangeEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            DebeziumJson.write(event, out, indent, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "debezium-json(indent=" + indent + ")";
    }
}
