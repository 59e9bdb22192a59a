package dev.pgoutput.bench;

import dev.pgoutput.protocol.PgOutputMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (a) Decode only: every message through {@code PgOutputDecoder.decode(ByteBuffer, lsn)}, the result
 * consumed as a whole. Values stay undecoded windows into the message, as the decoders promise.
 */
public class DecodeBenchmark extends BenchmarkSettings {

    /** Decodes {@link #BATCH} messages. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decode(Blackhole bh) {
        int i = cursor;
        for (int k = 0; k < BATCH; k++) {
            bh.consume(pgoutput.decode(messages[i], lsns[i]));
            if (++i == messages.length) {
                i = 0;
            }
        }
        cursor = i;
    }

    @Override
    protected void check() {
        int rows = 0;
        for (int i = 0; i < messages.length; i++) {
            PgOutputMessage m = pgoutput.decode(messages[i], lsns[i]);
            if (m.typeCode() != loaded.type(i)) {
                throw new IllegalStateException(decoder + " decoded message " + i + " of " + corpus + " as '"
                        + m.typeCode() + "', its type byte is '" + loaded.type(i) + "'");
            }
            rows += "IUD".indexOf(m.typeCode()) >= 0 ? 1 : 0;
        }
        Checks.expectRowChanges(this, rows);
    }
}
