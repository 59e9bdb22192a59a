package dev.pgoutput.bench;

import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.MessageSequenceDecoder;
import dev.pgoutput.spi.PgOutputDecoder;
import java.nio.ByteBuffer;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every benchmark of this module shares: throughput in operations per second where one operation is
 * one pgoutput message, the warm-up, measurement and fork settings with a fixed 1 GiB heap, and the two
 * parameters — the decoder (found with {@link ServiceLoader}, exactly as the engine finds it) and the
 * corpus of captured messages.
 *
 * <p>Each benchmark invocation handles {@link #BATCH} consecutive messages of the corpus, going round it
 * from where the previous invocation stopped; the corpora end outside any transaction or stream block, so
 * the decoder's state is right when the walk starts over. {@code @OperationsPerInvocation(BATCH)} on each
 * method makes JMH report messages per second whatever the corpus size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "--sun-misc-unsafe-memory-access=allow"})
public abstract class BenchmarkSettings {

    /** Messages per benchmark invocation, the value of every {@code @OperationsPerInvocation}. */
    public static final int BATCH = 1000;

    /** The decoder's {@link DecoderProvider#name()}. */
    @Param({"bytebuffer", "panama"})
    public String decoder;

    /** A corpus {@link Corpus#load} finds: the W1 workload or PostgreSQL 17's conformance capture. */
    @Param({"w1-text", "w1-binary", "pg17-text", "pg17-binary"})
    public String corpus;

    /** The decoder under test, fresh for each trial. */
    protected PgOutputDecoder pgoutput;
    /** The corpus's messages, each wrapped once. */
    protected ByteBuffer[] messages;
    /** The corpus's LSNs. */
    protected long[] lsns;
    /** The loaded corpus. */
    protected Corpus loaded;
    /** Where the next invocation starts in the corpus. */
    protected int cursor;

    /** Loads the corpus, creates the decoder and lets the benchmark check its own output once. */
    @Setup(Level.Trial)
    public final void setUp() {
        loaded = Corpus.load(corpus);
        messages = loaded.buffers();
        lsns = new long[loaded.size()];
        for (int i = 0; i < lsns.length; i++) {
            lsns[i] = loaded.lsn(i);
        }
        pgoutput = new MessageSequenceDecoder(provider(decoder).create());
        check();
        pgoutput = new MessageSequenceDecoder(provider(decoder).create());
        cursor = 0;
    }

    /**
     * The supported provider of that name.
     *
     * @throws IllegalStateException when it is absent or unsupported (a shaded jar without
     *                               {@code Multi-Release: true} makes Panama unsupported)
     */
    public static DecoderProvider provider(String name) {
        for (DecoderProvider p : ServiceLoader.load(DecoderProvider.class)) {
            if (p.name().equals(name)) {
                if (!p.isSupported()) {
                    throw new IllegalStateException("decoder " + name + " is unsupported here: " + p.unsupportedReason());
                }
                return p;
            }
        }
        throw new IllegalStateException("no decoder " + name + " on the class path (META-INF/services not merged?)");
    }

    /** Runs the benchmark's work over the whole corpus once and throws when the result is wrong. */
    protected abstract void check();
}
