package dev.pgoutput.bench.e2e;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes the results three ways into one folder: {@code results.md} (a table per workload, for people),
 * {@code results.json} (for machines) and {@code events-per-second.png} (a bar chart, one group per
 * workload, one bar per contender).
 */
final class Report {

    static final String ANCHOR = "pg_recvlogical";

    private final List<Result> results;
    private final String setup;

    Report(List<Result> results, String setup) {
        this.results = List.copyOf(results);
        this.setup = setup;
    }

    void writeAll(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("results.md"), markdown());
        writeJson(folder.resolve("results.json"));
        writeChart(folder.resolve("events-per-second.png"));
    }

    /** The anchor's rate on a workload, or NaN when pg_recvlogical did not run. */
    private double anchorRate(Workload w) {
        return results.stream().filter(r -> r.workload() == w && r.contender().equals(ANCHOR) && r.ran())
                .mapToDouble(Result::eventsPerSecond).findFirst().orElse(Double.NaN);
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# End-to-end drain: pgoutput-decoder, pg_recvlogical, Debezium\n\n");
        md.append(setup).append("\n\n");
        md.append("Events/s counts from the first event to the last, the same span for every contender (for "
                + "pg_recvlogical, from the first byte in its output file, sampled every 20 ms, to its exit at the end "
                + "LSN); \"first event after\" is the time from the start of streaming (connecting, START_REPLICATION) "
                + "to the first event: connection start-up, and for one large transaction the server decoding it "
                + "before it sends anything. The ratio is against pg_recvlogical on the same workload. CPU is the "
                + "consumer process's own (user + system) from the first event to the last (pg_recvlogical: its "
                + "whole life), per million events; the walsender's CPU is the server process that served the "
                + "contender's slot, over its whole life, per event. Peak heap is the largest used heap sampled every 10 ms; peak "
                + "RSS the process's high-water mark.\n\n");
        for (Workload w : workloads()) {
            md.append("## ").append(w).append(": ").append(w.description()).append("\n\n");
            md.append("| contender | events | seconds | events/s | × pg_recvlogical | CPU s / M events | CPU µs / event "
                    + "| walsender CPU µs / event | first event after | peak heap | peak RSS |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            double anchor = anchorRate(w);
            for (Result r : results) {
                if (r.workload() != w) {
                    continue;
                }
                if (!r.ran()) {
                    md.append("| ").append(r.contender()).append(" | skipped: ").append(r.skipped())
                            .append(" | | | | | | | | | |\n");
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %s | %.2f | %.2f | %s | %s | %s | %s |%n",
                        r.contender(), r.events(), r.seconds(), r.eventsPerSecond(),
                        Double.isNaN(anchor) ? "–" : String.format(Locale.ROOT, "%.2f", r.eventsPerSecond() / anchor),
                        r.cpuSeconds() * 1e6 / r.events(), r.cpuMicrosPerEvent(),
                        Double.isNaN(r.serverCpuSeconds()) ? "–"
                                : String.format(Locale.ROOT, "%.2f", r.serverCpuMicrosPerEvent()),
                        Double.isNaN(r.firstSeconds()) ? "–" : String.format(Locale.ROOT, "%.2f s", r.firstSeconds()),
                        r.peakHeapBytes() < 0 ? "–" : mib(r.peakHeapBytes()), mib(r.peakRssBytes())));
            }
            md.append('\n');
        }
        return md.toString();
    }

    private void writeJson(Path file) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("setup", setup);
            g.writeArrayFieldStart("results");
            for (Result r : results) {
                g.writeStartObject();
                g.writeStringField("workload", r.workload().name());
                g.writeStringField("contender", r.contender());
                if (!r.ran()) {
                    g.writeStringField("skipped", r.skipped());
                } else {
                    g.writeNumberField("events", r.events());
                    g.writeNumberField("seconds", r.seconds());
                    g.writeNumberField("eventsPerSecond", r.eventsPerSecond());
                    double anchor = anchorRate(r.workload());
                    if (!Double.isNaN(anchor)) {
                        g.writeNumberField("ratioToPgRecvlogical", r.eventsPerSecond() / anchor);
                    }
                    g.writeNumberField("cpuSeconds", r.cpuSeconds());
                    g.writeNumberField("cpuMicrosPerEvent", r.cpuMicrosPerEvent());
                    if (!Double.isNaN(r.serverCpuSeconds())) {
                        g.writeNumberField("walsenderCpuSeconds", r.serverCpuSeconds());
                        g.writeNumberField("walsenderCpuMicrosPerEvent", r.serverCpuMicrosPerEvent());
                    }
                    if (!Double.isNaN(r.firstSeconds())) {
                        g.writeNumberField("firstEventSeconds", r.firstSeconds());
                    }
                    if (r.peakHeapBytes() >= 0) {
                        g.writeNumberField("peakHeapBytes", r.peakHeapBytes());
                    }
                    g.writeNumberField("peakRssBytes", r.peakRssBytes());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private void writeChart(Path file) throws IOException {
        List<Workload> workloads = workloads();
        Set<String> contenders = new LinkedHashSet<>();
        results.stream().filter(Result::ran).forEach(r -> contenders.add(r.contender()));
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(600)
                .title("Events per second, end to end (higher is better)").xAxisTitle("workload").yAxisTitle("events/s")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        List<String> names = workloads.stream().map(Workload::name).toList();
        for (String contender : contenders) {
            List<Double> rates = new ArrayList<>();
            for (Workload w : workloads) {
                rates.add(results.stream().filter(r -> r.workload() == w && r.contender().equals(contender) && r.ran())
                        .mapToDouble(Result::eventsPerSecond).findFirst().orElse(0));
            }
            chart.addSeries(contender, names, rates);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private List<Workload> workloads() {
        return results.stream().map(Result::workload).distinct().toList();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
