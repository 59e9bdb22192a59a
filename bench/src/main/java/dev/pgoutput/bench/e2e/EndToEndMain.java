package dev.pgoutput.bench.e2e;

import dev.pgoutput.bench.e2e.Contenders.Contender;
import dev.pgoutput.bench.e2e.SnapshotContenders.SnapshotContender;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The end-to-end comparison: one embedded PostgreSQL, each workload written once, and one slot per
 * contender (created before the workload) drained in turn, each to the workload's last change:
 *
 * <ul>
 *   <li>this library, with each decoder and tuple format, touching every value of every event, and once
 *       writing every event as compact Debezium JSON to a null stream;</li>
 *   <li>{@code pg_recvlogical}, PostgreSQL's C client, writing the stream to a file (the ceiling: the
 *       server's walsender);</li>
 *   <li>the Debezium embedded engine (module bench-debezium), default JSON.</li>
 * </ul>
 *
 * Then the snapshot section ({@link SnapshotSection}): one table copied whole by {@code psql}'s
 * {@code COPY … TO STDOUT}, by this library's {@code INITIAL_ONLY} snapshot at each parallelism (every value
 * touched, and writing JSON) and by Debezium's {@code snapshot.mode=initial_only}.
 *
 * Every contender runs in a process of its own. Results go to {@code results.md}, {@code results.json} and
 * {@code events-per-second.png} in the output folder; progress goes to stderr.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.pgoutput.bench.e2e.EndToEndMain [--pg 17] [--workloads W1,W2,W3,W4]
 *      [--scale 1.0] [--contenders library,json,pg_recvlogical,psql,debezium] [--out bench/results]
 *      [--pg-recvlogical PATH] [--debezium-target bench-debezium/target] [--decoders panama,bytebuffer]
 *      [--jvm-options "options for this library's child JVMs, e.g. a JFR recording"]
 *      [--sections streaming,snapshot] [--snapshot-rows N (1,000,000 × scale)] [--snapshot-parallelism 1,2,4]
 *      [--psql PATH]
 * </pre>
 *
 * The contender names select in both sections: {@code library} (touching every value), {@code json},
 * {@code pg_recvlogical} (streaming), {@code psql} (snapshot), {@code debezium}.
 */
public final class EndToEndMain {

    private EndToEndMain() {
    }

    /**
     * Runs the comparison.
     *
     * @param args the options above
     */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path recvlogical = o.pgRecvlogical != null ? Path.of(o.pgRecvlogical) : findClientTool("pg_recvlogical");
        Path psql = o.psql != null ? Path.of(o.psql) : findClientTool("psql");
        int protocol = o.pg >= 16 ? 4 : o.pg == 15 ? 3 : o.pg == 14 ? 2 : 1;
        List<Contender> contenders = new ArrayList<>();
        if (o.contenders.contains("library")) {
            for (String decoder : o.decoders) {
                contenders.add(Contenders.library(decoder, false, false, o.jvmOptions));
                if (o.pg >= 14) {
                    contenders.add(Contenders.library(decoder, true, false, o.jvmOptions));
                }
            }
        }
        if (o.contenders.contains("json")) {
            contenders.add(Contenders.library("panama", false, true, o.jvmOptions));
        }
        if (o.contenders.contains("pg_recvlogical")) {
            contenders.add(Contenders.pgRecvlogical(recvlogical, protocol));
        }
        if (o.contenders.contains("debezium")) {
            contenders.add(Contenders.debezium(Path.of(o.debeziumTarget)));
        }

        List<SnapshotContender> snapshotContenders = new ArrayList<>();
        if (o.contenders.contains("psql")) {
            snapshotContenders.add(SnapshotContenders.psqlCopy(psql));
        }
        for (int parallelism : o.snapshotParallelism) {
            if (o.contenders.contains("library")) {
                snapshotContenders.add(SnapshotContenders.library(parallelism, false, false, o.jvmOptions));
                if (parallelism == 1) {
                    // binary(true): COPY (FORMAT binary), values from their send form.
                    snapshotContenders.add(SnapshotContenders.library(parallelism, true, false, o.jvmOptions));
                }
            }
            if (o.contenders.contains("json")) {
                snapshotContenders.add(SnapshotContenders.library(parallelism, false, true, o.jvmOptions));
            }
        }
        if (o.contenders.contains("debezium")) {
            snapshotContenders.add(SnapshotContenders.debezium(Path.of(o.debeziumTarget)));
        }
        long snapshotRows = o.snapshotRows > 0 ? o.snapshotRows : Workload.rows(1_000_000, o.scale);

        List<Result> results = new ArrayList<>();
        List<SnapshotResult> snapshot = List.of();
        String setup;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(o.pg)
                .setting("max_replication_slots", "16")
                .setting("max_wal_senders", "16")
                .setting("max_wal_size", "8GB")
                .setting("checkpoint_timeout", "1h")
                .setting("synchronous_commit", "off")
                .start()) {
            setup = String.format(Locale.ROOT, "PostgreSQL %d (testkit, synchronous_commit=off), scale %s, %d CPUs, "
                            + "%s %s, JDK %s, %s, load average at the start %s.", pg.majorVersion(), o.scale,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.arch"), System.getProperty("java.version"),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), loadAverage());
            System.err.println("end-to-end: " + setup);
            if (o.sections.contains("streaming")) {
                for (Workload w : o.workloads) {
                    results.addAll(runWorkload(pg, w, o.scale, contenders));
                    // After every workload, so that a long run that fails later keeps what it measured.
                    new Report(results, List.of(), snapshotRows, setup).writeAll(Path.of(o.out));
                }
            }
            if (o.sections.contains("snapshot")) {
                snapshot = SnapshotSection.run(pg, snapshotRows, snapshotContenders);
            }
        }
        Report report = new Report(results, snapshot, snapshotRows, setup);
        report.writeAll(Path.of(o.out));
        System.out.println(report.markdown());
        System.err.println("end-to-end: wrote " + Path.of(o.out).toAbsolutePath().resolve("results.md") + ", results.json, "
                + "events-per-second.png");
    }

    private static List<Result> runWorkload(EmbeddedPostgres pg, Workload w, double scale, List<Contender> contenders)
            throws Exception {
        List<Result> results = new ArrayList<>();
        long expected;
        String endLsn;
        try (Connection c = pg.connect()) {
            w.create(c);
            Workload.execute(c, "CREATE PUBLICATION " + w.publication() + " FOR TABLE " + w.table());
            for (Contender contender : contenders) {
                Workload.execute(c, "SELECT pg_create_logical_replication_slot('" + slot(w, contender) + "', 'pgoutput')");
            }
            System.err.printf("%s: writing (%s, scale %s)%n", w, w.description(), scale);
            long start = System.nanoTime();
            expected = w.write(c, scale);
            endLsn = queryOne(c, "SELECT pg_current_wal_lsn()");
            System.err.printf("%s: %,d change events written in %.1f s, end LSN %s%n", w, expected,
                    (System.nanoTime() - start) / 1e9, endLsn);
        }
        for (Contender contender : contenders) {
            System.err.printf("%s: draining with %s%n", w, contender.label());
            Result r;
            try (WalsenderWatch walsender = WalsenderWatch.start(pg, slot(w, contender))) {
                r = contender.drain(w, pg, slot(w, contender), expected, endLsn);
                walsender.close();
                r = r.withServerCpu(walsender.cpuSeconds());
            }
            if (r.ran()) {
                System.err.printf(Locale.ROOT, "%s: %s: %,.0f events/s, %.2f µs CPU per event, walsender %.2f µs%n", w,
                        contender.label(), r.eventsPerSecond(), r.cpuMicrosPerEvent(), r.serverCpuMicrosPerEvent());
            } else {
                System.err.printf("%s: %s skipped: %s%n", w, contender.label(), r.skipped());
            }
            results.add(r);
            try (Connection c = pg.connect()) {
                Workload.execute(c, "SELECT pg_drop_replication_slot('" + slot(w, contender) + "')");
            }
        }
        return results;
    }

    private static String slot(Workload w, Contender contender) {
        return w.table() + "_" + contender.slotSuffix();
    }

    /** The 1, 5 and 15 minute load averages (other work on a shared machine shows here), or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String queryOne(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * A PostgreSQL client program (pg_recvlogical, psql) on the PATH, or in Debian's versioned PostgreSQL
     * folders; null when absent. The testkit's embedded binaries hold only the server (postgres, initdb,
     * pg_ctl), so the clients come from the system. Debian's {@code /usr/bin/psql} is a link to
     * {@code pg_wrapper}, a Perl script that picks a version and execs it: about 40 ms of CPU in the
     * measured process, so the versioned binary it would run is taken instead.
     */
    static Path findClientTool(String name) throws Exception {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                if (!candidate.toRealPath().getFileName().toString().equals("pg_wrapper")) {
                    return candidate;
                }
                break;
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                        .max(Path::compareTo).orElse(null);
            }
        }
        return null;
    }

    /** The command line. */
    static final class Options {
        int pg = 17;
        List<Workload> workloads = List.of(Workload.values());
        double scale = 1.0;
        List<String> contenders = List.of("library", "json", "pg_recvlogical", "psql", "debezium");
        List<String> sections = List.of("streaming", "snapshot");
        long snapshotRows;
        List<Integer> snapshotParallelism = List.of(1, 2, 4);
        String psql;
        String out = "bench/results";
        String pgRecvlogical;
        String debeziumTarget = "bench-debezium/target";
        List<String> jvmOptions = List.of();
        List<String> decoders = List.of("panama", "bytebuffer");

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--pg" -> o.pg = Integer.parseInt(value);
                    case "--workloads" -> o.workloads = Arrays.stream(value.split(","))
                            .map(s -> Workload.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
                    case "--scale" -> o.scale = Double.parseDouble(value);
                    case "--contenders" -> o.contenders = Arrays.stream(value.split(",")).map(String::trim).toList();
                    case "--out" -> o.out = value;
                    case "--pg-recvlogical" -> o.pgRecvlogical = value;
                    case "--debezium-target" -> o.debeziumTarget = value;
                    case "--jvm-options" -> o.jvmOptions = Arrays.stream(value.trim().split("\\s+")).toList();
                    case "--decoders" -> o.decoders = Arrays.stream(value.split(",")).map(String::trim).toList();
                    case "--sections" -> o.sections = Arrays.stream(value.split(",")).map(String::trim).toList();
                    case "--snapshot-rows" -> o.snapshotRows = Long.parseLong(value.replace("_", ""));
                    case "--snapshot-parallelism" -> o.snapshotParallelism = Arrays.stream(value.split(","))
                            .map(String::trim).map(Integer::valueOf).toList();
                    case "--psql" -> o.psql = value;
                    case "-h", "--help" -> {
                        System.out.println("options: --pg 12..18 (17) --workloads W1,W2,W3,W4 --scale 1.0 "
                                + "--contenders library,json,pg_recvlogical,psql,debezium --out bench/results "
                                + "--pg-recvlogical PATH --debezium-target bench-debezium/target "
                                + "--decoders panama,bytebuffer --jvm-options \"-XX:+FlightRecorder ...\" (library JVMs) "
                                + "--sections streaming,snapshot --snapshot-rows N (1,000,000 x scale) "
                                + "--snapshot-parallelism 1,2,4 --psql PATH");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--help lists them)");
                }
                i++;
            }
            return o;
        }
    }
}
