package dev.pgoutput.bench.e2e;

import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How each contender is started: every one in a process of its own, one after another, so that none
 * shares a JVM (JIT, heap, GC threads) with another or with the runner.
 */
final class Contenders {

    /** A contender: its label in the report, its slot suffix, and how to run it. */
    interface Contender {
        String label();

        String slotSuffix();

        Result drain(Workload workload, EmbeddedPostgres pg, String slot, long expected, String endLsn) throws Exception;
    }

    private Contenders() {
    }

    /**
     * This library, in a child JVM: a decoder, a tuple format, and touching every value or writing JSON.
     * {@code jvmOptions} go to that JVM (for example a JFR recording to profile it).
     */
    static Contender library(String decoder, boolean binary, boolean json, List<String> jvmOptions) {
        String label = "pgoutput-decoder " + decoder + " " + (binary ? "binary" : "text") + (json ? " → JSON" : "");
        return new Contender() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public String slotSuffix() {
                return "lib_" + decoder + (binary ? "_bin" : "_txt") + (json ? "_json" : "");
            }

            @Override
            public Result drain(Workload w, EmbeddedPostgres pg, String slot, long expected, String endLsn)
                    throws Exception {
                List<String> command = new ArrayList<>(List.of(java(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
                command.addAll(jvmOptions);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), LibraryDrainMain.class.getName()));
                command.addAll(connectionArgs(pg, slot, w));
                command.addAll(List.of(Long.toString(expected), decoder, Boolean.toString(binary), json ? "json" : "touch"));
                return runJvm(w, label, command, expected);
            }
        };
    }

    /** The Debezium embedded engine, in a child JVM on bench-debezium's classpath. */
    static Contender debezium(Path moduleTarget) {
        return new Contender() {
            @Override
            public String label() {
                return "Debezium embedded 3.3 (JSON)";
            }

            @Override
            public String slotSuffix() {
                return "debezium";
            }

            @Override
            public Result drain(Workload w, EmbeddedPostgres pg, String slot, long expected, String endLsn)
                    throws Exception {
                Path classpathFile = moduleTarget.resolve("classpath.txt");
                if (!Files.isRegularFile(classpathFile)) {
                    return Result.skipped(w, label(), "bench-debezium is not built: ./mvnw -pl bench-debezium package");
                }
                String classpath = moduleTarget.resolve("classes") + File.pathSeparator
                        + Files.readString(classpathFile).trim();
                List<String> command = new ArrayList<>(List.of(java(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                        "-cp", classpath, "dev.pgoutput.bench.debezium.DebeziumDrainMain"));
                command.addAll(connectionArgs(pg, slot, w));
                command.add(Long.toString(expected));
                return runJvm(w, label(), command, expected);
            }
        };
    }

    /** PostgreSQL's own client, writing the raw pgoutput stream to a file, stopping at the end LSN. */
    static Contender pgRecvlogical(Path binary, int protocolVersion) {
        return new Contender() {
            @Override
            public String label() {
                return "pg_recvlogical";
            }

            @Override
            public String slotSuffix() {
                return "recvlogical";
            }

            @Override
            public Result drain(Workload w, EmbeddedPostgres pg, String slot, long expected, String endLsn)
                    throws Exception {
                if (binary == null) {
                    return Result.skipped(w, label(), "pg_recvlogical not found; on Debian or Ubuntu: "
                            + "apt-get install postgresql-client (or pass --pg-recvlogical PATH)");
                }
                Path out = Files.createTempFile("recvlogical-" + w.table(), ".bin");
                try {
                    ProcessBuilder builder = new ProcessBuilder(List.of(binary.toString(),
                            "-h", pg.host(), "-p", Integer.toString(pg.port()), "-U", pg.user(), "-d", pg.database(),
                            "--slot=" + slot, "--start", "--no-loop", "--endpos=" + endLsn,
                            "-o", "proto_version=" + protocolVersion, "-o", "publication_names=" + w.publication(),
                            "-f", out.toString()))
                            .redirectErrorStream(true);
                    builder.environment().put("PGPASSWORD", pg.password());
                    long start = System.nanoTime();
                    Process process = builder.start();
                    ProcessSampler sampler = ProcessSampler.follow(process, out);
                    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (!process.waitFor(30, TimeUnit.MINUTES)) {
                        process.destroyForcibly();
                        throw new IllegalStateException("pg_recvlogical did not finish");
                    }
                    long end = System.nanoTime();
                    sampler.await();
                    long first = sampler.firstOutputNanos() == 0 ? start : sampler.firstOutputNanos();
                    if (process.exitValue() != 0) {
                        throw new IllegalStateException("pg_recvlogical failed (" + process.exitValue() + "): " + output);
                    }
                    System.err.printf("pg_recvlogical: wrote %,d bytes of pgoutput%n", Files.size(out));
                    // It counts nothing itself; it stopped at the end LSN, past the workload's last commit.
                    return new Result(w, label(), expected, (end - first) / 1e9, (first - start) / 1e9,
                            sampler.cpuSeconds(), -1, sampler.peakRssBytes(), null);
                } finally {
                    Files.deleteIfExists(out);
                }
            }
        };
    }

    private static List<String> connectionArgs(EmbeddedPostgres pg, String slot, Workload w) {
        return List.of(pg.host(), Integer.toString(pg.port()), pg.database(), pg.user(), pg.password(), slot,
                w.publication());
    }

    /** Runs a JVM contender, forwards its progress (stderr), and reads its RESULT line. */
    private static Result runJvm(Workload w, String label, List<String> command, long expected) throws Exception {
        ChildRun run = runChild(label + " on " + w, command, expected);
        Map<String, Long> v = run.fields();
        return new Result(w, label, v.get("events"), (v.get("lastNs") - v.get("firstNs")) / 1e9,
                (v.get("firstNs") - v.get("startNs")) / 1e9, (v.get("cpuEndNs") - v.get("cpuFirstNs")) / 1e9,
                v.get("peakHeap"), run.peakRssBytes(), null);
    }

    /** The numbers of a child JVM's {@code RESULT} line and the process's peak resident set. */
    record ChildRun(Map<String, Long> fields, long peakRssBytes) {
    }

    /**
     * Runs a child JVM that prints one {@code RESULT key=value ...} line, forwards its stderr, and checks that
     * it delivered {@code expected} events.
     */
    static ChildRun runChild(String what, List<String> command, long expected) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ProcessSampler sampler = ProcessSampler.follow(process);
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        }
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        sampler.await();
        String result = lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(what + " failed: " + String.join("\n", lines)));
        Map<String, Long> v = new HashMap<>();
        for (String field : result.substring(7).split(" ")) {
            String[] kv = field.split("=", 2);
            v.put(kv[0], Long.parseLong(kv[1]));
        }
        if (v.get("events") != expected) {
            throw new IllegalStateException(what + ": delivered " + v.get("events") + " events, expected " + expected);
        }
        return new ChildRun(v, sampler.peakRssBytes());
    }

    /** The path of this JVM's {@code java}, for the children. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
