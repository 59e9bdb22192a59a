package dev.pgoutput.bench;

import org.openjdk.jmh.infra.Blackhole;

/** The facts the benchmarks check once in their setup. */
final class Checks {

    private Checks() {
    }

    /** Fails unless {@code rows} equals the number of Insert, Update and Delete messages in the corpus. */
    static void expectRowChanges(BenchmarkSettings b, int rows) {
        int expected = 0;
        for (int i = 0; i < b.loaded.size(); i++) {
            expected += "IUD".indexOf(b.loaded.type(i)) >= 0 ? 1 : 0;
        }
        if (rows != expected || expected == 0) {
            throw new IllegalStateException(b.decoder + " on " + b.corpus + ": " + rows + " row changes, the corpus has "
                    + expected);
        }
    }

    /** A black hole for use outside JMH (setup checks, the smoke test). */
    static Blackhole blackhole() {
        return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }
}
