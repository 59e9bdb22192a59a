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
 * The end-to-end runner from the shaded jar, as the README runs it, at a tiny scale (W1 at 0.2 %: 2,000
 * rows, 2,400 events) so every build proves it still works: every contender drains the same number of
 * events and the three report files are written. No figure is judged here; the runner is a benchmark.
 * pg_recvlogical and Debezium are skipped (and say so in the report) when the binary or the
 * bench-debezium module is absent.
 */
class EndToEndSmokeIT {

    @Test
    void runnerDrainsW1WithEveryContenderAndWritesTheReport(@TempDir Path out) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/benchmarks.jar"));
        Process runner = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toString(), "dev.pgoutput.bench.e2e.EndToEndMain",
                "--workloads", "W1", "--scale", "0.002", "--out", out.toString(),
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
        List<String> rows = md.lines().filter(l -> l.startsWith("| pgoutput-decoder") || l.startsWith("| pg_recvlogical")
                || l.startsWith("| Debezium")).toList();
        // Four decode variants, JSON, pg_recvlogical, Debezium: seven rows, run or skipped with a reason.
        assertEquals(7, rows.size(), md);
        for (String row : rows) {
            assertTrue(row.contains("| 2,400 |") || row.contains("skipped: "), row);
        }
        assertTrue(rows.stream().filter(r -> r.startsWith("| pgoutput-decoder")).allMatch(r -> r.contains("| 2,400 |")),
                "this library always runs: " + md);
        String json = Files.readString(out.resolve("results.json"));
        assertTrue(json.contains("\"workload\" : \"W1\"") && json.contains("\"eventsPerSecond\""), json);
        byte[] png = Files.readAllBytes(out.resolve("events-per-second.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG chart");
    }
}
