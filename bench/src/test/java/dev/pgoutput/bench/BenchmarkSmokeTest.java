package dev.pgoutput.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.spi.DecoderProvider;
import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Runs every benchmark method once per decoder and corpus without JMH: the setup's own checks, then one
 * batch. Keeps the benchmarks compiling and correct in every build; it measures nothing.
 */
class BenchmarkSmokeTest {

    private static final List<String> CORPORA = List.of("w1-text", "w1-binary", "pg17-text", "pg17-binary");

    @Test
    void everyBenchmarkRunsOnEveryDecoderAndCorpus() throws IOException {
        List<String> decoders = ServiceLoader.load(DecoderProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(DecoderProvider::isSupported).map(DecoderProvider::name).sorted().toList();
        // Run before `package`, decoder-panama is a folder of classes without its META-INF/versions/22 part.
        Assumptions.assumeTrue(decoders.contains("bytebuffer"), "no decoder found");
        Blackhole bh = Checks.blackhole();
        for (String decoder : decoders) {
            for (String corpus : CORPORA) {
                DecodeBenchmark decode = setUp(DecodeBenchmark::new, decoder, corpus);
                decode.decode(bh);
                MaterializeBenchmark materialize = setUp(MaterializeBenchmark::new, decoder, corpus);
                materialize.materialize(bh);
                materialize.materializeByName(bh);
                JsonBenchmark json = setUp(JsonBenchmark::new, decoder, corpus);
                json.json(bh);
                assertEquals(BenchmarkSettings.BATCH % decode.messages.length, decode.cursor);
            }
        }
    }

    @Test
    void corporaAreRealAndSmall() {
        for (String name : CORPORA) {
            Corpus c = Corpus.load(name);
            assertTrue(c.size() > 100, name + " has " + c.size() + " messages");
            assertTrue(c.header().containsKey("server_version_num"), name + " " + c.header());
        }
        assertEquals(W1Capture.ROWS * 12 / 10, Corpus.load("w1-text").size() - 2 * 12 - 1,
                "w1: 12,000 row changes, a Begin and a Commit per transaction, one Relation");
    }

    private static <B extends BenchmarkSettings> B setUp(Supplier<B> make, String decoder, String corpus) {
        B b = make.get();
        b.decoder = decoder;
        b.corpus = corpus;
        b.setUp();
        return b;
    }
}
