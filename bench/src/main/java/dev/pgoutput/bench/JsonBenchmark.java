package dev.pgoutput.bench;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.json.DebeziumJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (c) Decode straight to Debezium JSON: every message decoded, every row change made into a
 * {@link ChangeEvent} by {@link EventFactory} and written as compact JSON
 * ({@code DebeziumJson.write(event, out, 0)}) to a null stream.
 */
public class JsonBenchmark extends BenchmarkSettings {

    private EventFactory events;
    private final OutputStream sink = OutputStream.nullOutputStream();

    /** Decodes {@link #BATCH} messages and writes the JSON of their row changes. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void json(Blackhole bh) throws IOException {
        int i = cursor;
        for (int k = 0; k < BATCH; k++) {
            ChangeEvent e = events.accept(pgoutput.decode(messages[i], lsns[i]), lsns[i]);
            if (e != null) {
                DebeziumJson.write(e, sink, 0);
            } else {
                bh.consume(i);
            }
            if (++i == messages.length) {
                i = 0;
            }
        }
        cursor = i;
    }

    @Override
    protected void check() {
        events = new EventFactory();
        int rows = 0;
        String first = null;
        try {
            for (int i = 0; i < messages.length; i++) {
                ChangeEvent e = events.accept(pgoutput.decode(messages[i], lsns[i]), lsns[i]);
                if (e != null) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    DebeziumJson.write(e, out, 0);
                    first = first == null ? out.toString(StandardCharsets.UTF_8) : first;
                    rows++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Checks.expectRowChanges(this, rows);
        if (first == null || !first.startsWith("{\"before\":null,\"after\":{\"id\":1,")) {
            throw new IllegalStateException(decoder + " on " + corpus + ": first event's JSON is " + first);
        }
        events = new EventFactory();
    }
}
