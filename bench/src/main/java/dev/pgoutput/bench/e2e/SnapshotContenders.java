package dev.pgoutput.bench.e2e;

import dev.pgoutput.bench.e2e.Contenders.ChildRun;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contenders of the snapshot section: each copies the whole snapshot table once, in a process of its
 * own, as {@link Contenders} runs the streaming ones.
 */
final class SnapshotContenders {

    /** psql's {@code \timing} line: {@code Time: 1234.567 ms} (followed by a clock form from 1 s on). */
    private static final Pattern TIMING = Pattern.compile("Time: ([0-9.]+) ms");

    /** A snapshot contender: its label in the report, its slot suffix (if it needs a slot), how to run it. */
    interface SnapshotContender {
        String label();

        String slotSuffix();

        SnapshotResult copy(EmbeddedPostgres pg, SnapshotSection.Table table, long rows, String slot) throws Exception;
    }

    private SnapshotContenders() {
    }

    /**
     * {@code psql -c "COPY t TO STDOUT"} into {@code /dev/null}: the server's own cost of the copy, and the
     * ceiling for a client that reads the same text rows. The time is psql's {@code \timing} of the COPY
     * (from sending it to its last row), so that psql's start-up and connection are not in it.
     */
    static SnapshotContender psqlCopy(Path psql) {
        return new SnapshotContender() {
            @Override
            public String label() {
                return "psql COPY TO STDOUT > /dev/null";
            }

            @Override
            public String slotSuffix() {
                return null;
            }

            @Override
            public SnapshotResult copy(EmbeddedPostgres pg, SnapshotSection.Table table, long rows, String slot)
                    throws Exception {
                if (psql == null) {
                    return SnapshotResult.skipped(label(), "psql not found; on Debian or Ubuntu: "
                            + "apt-get install postgresql-client (or pass --psql PATH)");
                }
                // -o: query output, which COPY TO STDOUT writes to, goes to /dev/null; \timing prints to stdout.
                ProcessBuilder builder = new ProcessBuilder(List.of(psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                        "-h", pg.host(), "-p", Integer.toString(pg.port()), "-U", pg.user(), "-d", pg.database(),
                        "-o", "/dev/null", "-c", "\\timing on", "-c", "COPY " + table.qualifiedName() + " TO STDOUT"))
                        .redirectErrorStream(true);
                builder.environment().put("PGPASSWORD", pg.password());
                Process process = builder.start();
                ProcessSampler sampler = ProcessSampler.follow(process);
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(30, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("psql did not finish");
                }
                sampler.await();
                Matcher timing = TIMING.matcher(output);
                if (process.exitValue() != 0 || !timing.find()) {
                    throw new IllegalStateException("psql failed (" + process.exitValue() + "): " + output);
                }
                // psql counts nothing itself; COPY of the whole table under autocommit copies every row.
                return new SnapshotResult(label(), rows, Double.parseDouble(timing.group(1)) / 1e3, Double.NaN,
                        sampler.cpuSeconds(), Double.NaN, -1, sampler.peakRssBytes(), null);
            }
        };
    }

    /**
     * This library's initial snapshot ({@code INITIAL_ONLY}) with {@code parallelism} reader connections,
     * touching every value or writing every event as Debezium JSON, in a child JVM; with {@code binary} the
     * reader asks for binary tuples, so the copy is {@code COPY (FORMAT binary)}.
     */
    static SnapshotContender library(int parallelism, boolean binary, boolean json, List<String> jvmOptions) {
        String label = "pgoutput-decoder p=" + parallelism + (binary ? " binary" : "") + (json ? " → JSON" : " values");
        return new SnapshotContender() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public String slotSuffix() {
                return "lib_p" + parallelism + (binary ? "_bin" : "") + (json ? "_json" : "_values");
            }

            @Override
            public SnapshotResult copy(EmbeddedPostgres pg, SnapshotSection.Table table, long rows, String slot)
                    throws Exception {
                List<String> command = new ArrayList<>(List.of(Contenders.java(),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
                command.addAll(jvmOptions);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), LibraryDrainMain.class.getName(),
                        pg.host(), Integer.toString(pg.port()), pg.database(), pg.user(), pg.password(), slot,
                        table.publication(), Long.toString(rows), "panama", Boolean.toString(binary), json ? "json" : "touch",
                        Integer.toString(parallelism)));
                return result(label, Contenders.runChild(label, command, rows));
            }
        };
    }

    /** Debezium's embedded engine, {@code snapshot.mode=initial_only} on the table, in a child JVM. */
    static SnapshotContender debezium(Path moduleTarget) {
        return new SnapshotContender() {
            @Override
            public String label() {
                return "Debezium embedded 3.3 initial_only (JSON)";
            }

            @Override
            public String slotSuffix() {
                return "debezium";
            }

            @Override
            public SnapshotResult copy(EmbeddedPostgres pg, SnapshotSection.Table table, long rows, String slot)
                    throws Exception {
                Path classpathFile = moduleTarget.resolve("classpath.txt");
                if (!Files.isRegularFile(classpathFile)) {
                    return SnapshotResult.skipped(label(), "bench-debezium is not built: ./mvnw -pl bench-debezium package");
                }
                String classpath = moduleTarget.resolve("classes") + File.pathSeparator
                        + Files.readString(classpathFile).trim();
                List<String> command = List.of(Contenders.java(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                        "-cp", classpath, "dev.pgoutput.bench.debezium.DebeziumDrainMain",
                        pg.host(), Integer.toString(pg.port()), pg.database(), pg.user(), pg.password(), slot,
                        table.publication(), Long.toString(rows), table.qualifiedName());
                return result(label(), Contenders.runChild(label(), command, rows));
            }
        };
    }

    private static SnapshotResult result(String label, ChildRun run) {
        Map<String, Long> v = run.fields();
        return new SnapshotResult(label, v.get("events"), (v.get("lastNs") - v.get("firstNs")) / 1e9,
                (v.get("firstNs") - v.get("startNs")) / 1e9, (v.get("cpuEndNs") - v.get("cpuFirstNs")) / 1e9,
                Double.NaN, v.get("peakHeap"), run.peakRssBytes(), null);
    }
}
