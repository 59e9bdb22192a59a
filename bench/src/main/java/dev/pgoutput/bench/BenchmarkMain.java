package dev.pgoutput.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The benchmark jar's main class: runs JMH with the usual command line ({@code -f 1 -wi 3 -i 5 -prof gc
 * …}), then prints a Markdown summary that turns messages/s into MB/s of pgoutput (messages/s × the
 * corpus's mean message size, 1 MB = 10^6 bytes) and gives the Panama/ByteBuffer ratio. Help and list
 * options go straight to {@link org.openjdk.jmh.Main}.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args JMH's command line
     */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println(summary(results));
    }

    /** The Markdown table: one line per benchmark × corpus × decoder. */
    static String summary(Collection<RunResult> results) {
        Map<String, Double> averageBytes = new HashMap<>();
        Map<String, Double> score = new HashMap<>();
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(BenchmarkMain::key).thenComparing(r -> r.getParams().getParam("decoder")));
        for (RunResult r : sorted) {
            score.put(key(r) + "|" + r.getParams().getParam("decoder"), r.getPrimaryResult().getScore());
        }
        StringBuilder out = new StringBuilder(
                "| benchmark | corpus | decoder | msgs/s | ± error | MB/s | ± error | B/msg allocated | panama/bytebuffer |\n"
                        + "|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult r : sorted) {
            String corpus = r.getParams().getParam("corpus");
            double bytes = averageBytes.computeIfAbsent(corpus, c -> Corpus.load(c).averageMessageBytes());
            Result<?> primary = r.getPrimaryResult();
            String decoder = r.getParams().getParam("decoder");
            Double bb = score.get(key(r) + "|bytebuffer");
            Double panama = score.get(key(r) + "|panama");
            String ratio = decoder.equals("panama") && bb != null && panama != null
                    ? String.format(Locale.ROOT, "%.2f", panama / bb) : "";
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %,.1f | %,.1f | %s | %s |%n",
                    method(r), corpus, decoder, primary.getScore(), primary.getScoreError(),
                    primary.getScore() * bytes / 1e6, primary.getScoreError() * bytes / 1e6, allocated(r), ratio));
        }
        return out.append(String.format(Locale.ROOT, "%nmean message size: %s%n", averageBytes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(Locale.ROOT, "%s %.1f B", e.getKey(), e.getValue()))
                .toList())).toString();
    }

    private static String key(RunResult r) {
        return method(r) + "|" + r.getParams().getParam("corpus");
    }

    private static String method(RunResult r) {
        String name = r.getParams().getBenchmark();
        return name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
    }

    /** {@code -prof gc}'s bytes allocated per operation (per message), when it ran. */
    private static String allocated(RunResult r) {
        for (String name : r.getSecondaryResults().keySet()) {
            if (name.endsWith("gc.alloc.rate.norm")) {
                return String.format(Locale.ROOT, "%.0f", r.getSecondaryResults().get(name).getScore());
            }
        }
        return "";
    }
}
