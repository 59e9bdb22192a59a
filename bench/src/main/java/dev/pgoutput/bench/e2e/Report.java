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
 * Writes the results three ways into one folder: {@code results.md} (a table per workload and one for the
 * snapshot section, for people), {@code results.json} (for machines) and {@code events-per-second.png} (a bar
 * chart, one group per workload, one bar per contender; below it the snapshot's rows/s, one bar per
 * contender).
 */
final class Report {

    static final String ANCHOR = "pg_recvlogical";
    /** The snapshot section's anchor: the server's own COPY. */
    static final String SNAPSHOT_ANCHOR = "psql COPY";
    /** The snapshot section's other reference. */
    static final String SNAPSHOT_DEBEZIUM = "Debezium";

    private final List<Result> results;
    private final List<SnapshotResult> snapshot;
    private final long snapshotRows;
    private final String setup;

    Report(List<Result> results, List<SnapshotResult> snapshot, long snapshotRows, String setup) {
        this.results = List.copyOf(results);
        this.snapshot = List.copyOf(snapshot);
        this.snapshotRows = snapshotRows;
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

    /** The rate of the first snapshot contender whose label starts with {@code prefix}, or NaN. */
    private double snapshotRate(String prefix) {
        return snapshot.stream().filter(r -> r.contender().startsWith(prefix) && r.ran())
                .mapToDouble(SnapshotResult::rowsPerSecond).findFirst().orElse(Double.NaN);
    }

    String markdown() {
        StringBuilder md = new StringBuilder(results.isEmpty() && !snapshot.isEmpty()
                ? "# End-to-end snapshot: pgoutput-decoder, psql COPY, Debezium\n\n"
                : !snapshot.isEmpty() ? "# End-to-end drain and snapshot: pgoutput-decoder, pg_recvlogical, psql COPY, Debezium\n\n"
                : "# End-to-end drain: pgoutput-decoder, pg_recvlogical, Debezium\n\n");
        md.append(setup).append("\n\n");
        if (!results.isEmpty()) {
            streamingMarkdown(md);
        }
        if (!snapshot.isEmpty()) {
            snapshotMarkdown(md);
        }
        return md.toString();
    }

    private void streamingMarkdown(StringBuilder md) {
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
    }

    private void snapshotMarkdown(StringBuilder md) {
        md.append("## Snapshot: ").append(SnapshotSection.description(snapshotRows)).append("\n\n");
        md.append("Rows/s counts from the first row to the last; for psql, `COPY … TO STDOUT` into /dev/null, its "
                + "`\\timing` of the COPY (from sending it to its last row). This library's rows are "
                + "`INITIAL_ONLY` snapshots (a new slot, its exported snapshot imported by p reader connections, "
                + "`COPY (SELECT …) TO STDOUT` in text, every row a READ event); \"values\" reads `Row.value(i)` of "
                + "every column, \"→ JSON\" writes every event as a compact Debezium JSON line to a null stream. "
                + "Debezium is its embedded engine with `snapshot.mode=initial_only` on the table, its defaults "
                + "otherwise (default JSON with schemas). \"First row after\" is the time from the start (connect, "
                + "slot creation, catalog reads) to the first row. CPU is the consumer process's own over the rows "
                + "(psql: its whole life); server CPU is every PostgreSQL process's while the contender ran. Goals "
                + "(issue 13): ≥ 0.8 × psql COPY at p=1, ≥ 10 × Debezium.\n\n");
        md.append("| contender | rows | seconds | rows/s | × psql COPY | × Debezium | CPU s | CPU µs / row "
                + "| server CPU s | first row after | peak heap | peak RSS |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double copy = snapshotRate(SNAPSHOT_ANCHOR);
        double debezium = snapshotRate(SNAPSHOT_DEBEZIUM);
        for (SnapshotResult r : snapshot) {
            if (!r.ran()) {
                md.append("| ").append(r.contender()).append(" | skipped: ").append(r.skipped())
                        .append(" | | | | | | | | | | |\n");
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %s | %s | %.2f | %.2f | %s | %s | %s | %s |%n",
                    r.contender(), r.rows(), r.seconds(), r.rowsPerSecond(), ratio(r.rowsPerSecond(), copy),
                    ratio(r.rowsPerSecond(), debezium), r.cpuSeconds(), r.cpuSeconds() * 1e6 / r.rows(),
                    Double.isNaN(r.serverCpuSeconds()) ? "–" : String.format(Locale.ROOT, "%.2f", r.serverCpuSeconds()),
                    Double.isNaN(r.firstSeconds()) ? "–" : String.format(Locale.ROOT, "%.2f s", r.firstSeconds()),
                    r.peakHeapBytes() < 0 ? "–" : mib(r.peakHeapBytes()), mib(r.peakRssBytes())));
        }
        md.append('\n');
    }

    private static String ratio(double rate, double reference) {
        return Double.isNaN(reference) ? "–" : String.format(Locale.ROOT, "%.2f", rate / reference);
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
            if (!snapshot.isEmpty()) {
                writeSnapshotJson(g);
            }
            g.writeEndObject();
        }
    }

    private void writeSnapshotJson(JsonGenerator g) throws IOException {
        double copy = snapshotRate(SNAPSHOT_ANCHOR);
        double debezium = snapshotRate(SNAPSHOT_DEBEZIUM);
        g.writeObjectFieldStart("snapshot");
        g.writeStringField("table", SnapshotSection.description(snapshotRows));
        g.writeNumberField("rows", snapshotRows);
        g.writeArrayFieldStart("results");
        for (SnapshotResult r : snapshot) {
            g.writeStartObject();
            g.writeStringField("contender", r.contender());
            if (!r.ran()) {
                g.writeStringField("skipped", r.skipped());
            } else {
                g.writeNumberField("rows", r.rows());
                g.writeNumberField("seconds", r.seconds());
                g.writeNumberField("rowsPerSecond", r.rowsPerSecond());
                if (!Double.isNaN(copy)) {
                    g.writeNumberField("ratioToPsqlCopy", r.rowsPerSecond() / copy);
                }
                if (!Double.isNaN(debezium)) {
                    g.writeNumberField("ratioToDebezium", r.rowsPerSecond() / debezium);
                }
                g.writeNumberField("cpuSeconds", r.cpuSeconds());
                if (!Double.isNaN(r.serverCpuSeconds())) {
                    g.writeNumberField("serverCpuSeconds", r.serverCpuSeconds());
                }
                if (!Double.isNaN(r.firstSeconds())) {
                    g.writeNumberField("firstRowSeconds", r.firstSeconds());
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

    private void writeChart(Path file) throws IOException {
        List<CategoryChart> charts = new ArrayList<>();
        if (!results.isEmpty()) {
            charts.add(streamingChart());
        }
        if (snapshot.stream().anyMatch(SnapshotResult::ran)) {
            charts.add(snapshotChart());
        }
        if (charts.size() == 1) {
            BitmapEncoder.saveBitmap(charts.get(0), file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } else if (charts.size() > 1) {
            BitmapEncoder.saveBitmap(charts, charts.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private CategoryChart snapshotChart() {
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(600)
                .title(String.format(Locale.ROOT, "Rows per second, initial snapshot of %,d rows (higher is better)",
                        snapshotRows))
                .xAxisTitle("snapshot").yAxisTitle("rows/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        for (SnapshotResult r : snapshot) {
            if (r.ran()) {
                chart.addSeries(r.contender(), List.of("Snapshot"), List.of(r.rowsPerSecond()));
            }
        }
        return chart;
    }

    private CategoryChart streamingChart() {
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
        return chart;
    }

    private List<Workload> workloads() {
        return results.stream().map(Result::workload).distinct().toList();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
