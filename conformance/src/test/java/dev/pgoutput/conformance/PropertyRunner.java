package dev.pgoutput.conformance;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The seeded property harness on plain JUnit 5 (docs/STYLE.md: no jqwik).
 *
 * <p>A property is a body run for many cases; each case gets its own {@link SplittableRandom} derived
 * from the run's seed, the property's name and the case index. So a failure is reproduced by the seed
 * alone, and one case can be replayed without running the ones before it:
 *
 * <pre>
 * -Dconformance.seed=N          the run's seed (default: from the clock, printed at start)
 * -Dconformance.cases=N         cases per property (default: each property's own, a few thousand)
 * -Dconformance.case=I          run only case I (with the printed seed) to replay a failure
 * -Dconformance.timeoutMillis=N the most one case may take (default 10000)
 * </pre>
 *
 * <p>Cases run on a daemon worker thread watched by the test thread. A case that does not finish within
 * the timeout (an endless loop in a decoder) fails the property with its seed and index; the stuck worker
 * is abandoned, since Java has no safe way to kill it, and it dies with the test JVM.
 */
final class PropertyRunner {

    /** One case of a property. */
    @FunctionalInterface
    interface Case {
        void run(SplittableRandom random, int caseIndex) throws Exception;
    }

    /** The seed of this JVM's run, chosen once so every property in one run shares it. */
    static final long SEED = chooseSeed();

    private static final Duration TIMEOUT = Duration.ofMillis(Long.getLong("conformance.timeoutMillis", 10_000));

    private PropertyRunner() {
    }

    /** The case count: {@code -Dconformance.cases} or the property's default. */
    static int cases(int defaultCases) {
        return Integer.getInteger("conformance.cases", defaultCases);
    }

    /**
     * Runs {@code body} for {@link #cases(int)} cases and fails with the seed and case index of the first
     * failing one.
     */
    static void check(String property, int defaultCases, Case body) {
        check(property, defaultCases, TIMEOUT, body);
    }

    /** {@link #check(String, int, Case)} with an explicit per-case timeout. */
    static void check(String property, int defaultCases, Duration timeout, Case body) {
        int cases = cases(defaultCases);
        Integer only = Integer.getInteger("conformance.case");
        int from = only == null ? 0 : only;
        int to = only == null ? cases : only + 1;
        long propertySeed = SEED ^ mix(property.hashCode());

        AtomicReference<Throwable> failure = new AtomicReference<>();
        // -1 = between cases; otherwise the running case and when it started.
        long[] progress = {-1, 0};
        Thread worker = Thread.ofPlatform().daemon().name("property " + property).unstarted(() -> {
            for (int i = from; i < to; i++) {
                synchronized (progress) {
                    progress[0] = i;
                    progress[1] = System.nanoTime();
                }
                try {
                    body.run(new SplittableRandom(propertySeed + mix(i)), i);
                } catch (Throwable t) {
                    failure.set(new AssertionError(describe(property, i) + ": " + t, t));
                    return;
                }
            }
            synchronized (progress) {
                progress[0] = -1;
            }
        });
        worker.start();
        try {
            while (worker.isAlive()) {
                worker.join(50);
                long running;
                long startedAt;
                synchronized (progress) {
                    running = progress[0];
                    startedAt = progress[1];
                }
                if (running >= 0 && worker.isAlive() && System.nanoTime() - startedAt > timeout.toNanos()) {
                    AssertionError stuck = new AssertionError(describe(property, (int) running)
                            + ": still running after " + timeout.toMillis() + " ms (endless loop?)");
                    stuck.setStackTrace(worker.getStackTrace());
                    throw stuck;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(describe(property, -1) + ": interrupted", e);
        }
        Throwable t = failure.get();
        if (t instanceof AssertionError a) {
            throw a;
        }
        // CI reads how much each property really exercised.
        System.out.println("[conformance] property '" + property + "' passed " + (to - from) + " cases (seed " + SEED + ")");
    }

    /** The message every failure starts with: what failed and how to run it again. */
    static String describe(String property, int caseIndex) {
        return "property '" + property + "' failed at case " + caseIndex + " (seed " + SEED
                + "; reproduce with -Dconformance.seed=" + SEED + " -Dconformance.case=" + caseIndex + ")";
    }

    /** SplitMix64's finalizer: spreads neighbouring indexes over the whole seed space. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long chooseSeed() {
        Long fixed = Long.getLong("conformance.seed");
        long seed = fixed != null ? fixed : mix(System.nanoTime() ^ System.currentTimeMillis());
        System.out.println("[conformance] seed " + seed + (fixed != null ? " (fixed)" : " (from the clock)")
                + ", cases per property " + Integer.getInteger("conformance.cases", -1)
                + " (-1 = each property's default)");
        return seed;
    }
}
