package dev.pgoutput.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end runner from the shaded jar, as the README runs it, at a tiny scale (0.2 %: W1 with 2,000
 * rows and 2,400 events, the 50-column W4 with 400 rows, and a snapshot of 2,000 rows at parallelism 1 and
 * 2) so every build proves it still works: every contender drains the same number of events or copies
 * every row, and the three report files are written. No figure is judged here; the runner is a benchmark.
 * pg_recvlogical, psql and Debezium are skipped (and say so in the report) when the binary or the
 * bench-debezium module is absent.
 */
class EndToEndSmokeIT {

    @Test
    void runnerDrainsW1WithEveryContenderAndWritesTheReport(@TempDir Path out) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/benchmarks.jar"));
        Process runner = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toString(), "dev.pgoutput.bench.e2e.EndToEndMain",
                "--workloads", "W1,W4", "--scale", "0.002", "--snapshot-parallelism", "1,2", "--out", out.toString(),
                "--debezium-target", "../bench-debezium/target"))
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(runner.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        boolean done = runner.waitFor(5, TimeUnit.MINUTES);
        runner.destroyForcibly();
        String log = output.get(30, TimeUnit.SECONDS);
        assertTrue(done, "the runner did not finish: " + log);
        assertEquals(0, runner.exitValue(), log);

        String md = Files.readString(out.resolve("results.md"));
        String[] sections = md.split("\n## ");
        assertEquals(4, sections.length, "a header, one section per workload and the snapshot's: " + md);
        checkSection(sections[1], "W1", "| 2,400 |", md);
        checkSection(sections[2], "W4", "| 400 |", md);
        checkSnapshotSection(sections[3], md);
        String json = Files.readString(out.resolve("results.json"));
        assertTrue(json.contains("\"workload\" : \"W4\""), json);
        assertTrue(json.contains("\"workload\" : \"W1\"") && json.contains("\"eventsPerSecond\""), json);
        assertTrue(json.contains("\"snapshot\"") && json.contains("\"rowsPerSecond\""), json);
        byte[] png = Files.readAllBytes(out.resolve("events-per-second.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG chart");
    }

    /** Seven rows (four decode variants, JSON, pg_recvlogical, Debezium), each run with every event or skipped. */
    private static void checkSection(String section, String workload, String events, String md) {
        assertTrue(section.startsWith(workload + ":"), section);
        List<String> rows = section.lines().filter(l -> l.startsWith("| pgoutput-decoder") || l.startsWith("| pg_recvlogical")
                || l.startsWith("| Debezium")).toList();
        assertEquals(7, rows.size(), md);
        for (String row : rows) {
            assertTrue(row.contains(events) || row.contains("skipped: "), row);
        }
        assertTrue(rows.stream().filter(r -> r.startsWith("| pgoutput-decoder")).allMatch(r -> r.contains(events)),
                "this library always runs: " + md);
    }

    /**
     * Seven rows (psql COPY; five INITIAL_ONLY snapshots: values at p=1 in text and in binary, JSON, and p=2 values
     * and JSON; Debezium), each with every row copied or skipped.
     */
    private static void checkSnapshotSection(String section, String md) {
        assertTrue(section.startsWith("Snapshot: 2,000 rows"), section);
        List<String> rows = section.lines().filter(l -> l.startsWith("| psql") || l.startsWith("| pgoutput-decoder")
                || l.startsWith("| Debezium")).toList();
        assertEquals(7, rows.size(), md);
        for (String row : rows) {
            assertTrue(row.contains("| 2,000 |") || row.contains("skipped: "), row);
        }
        assertTrue(rows.stream().filter(r -> r.startsWith("| pgoutput-decoder")).allMatch(r -> r.contains("| 2,000 |")),
                "this library always runs: " + md);
    }
}
