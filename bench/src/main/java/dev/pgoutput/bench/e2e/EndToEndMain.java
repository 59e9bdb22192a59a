package dev.pgoutput.bench.e2e;

import dev.pgoutput.bench.e2e.Contenders.Contender;
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
 * Every contender runs in a process of its own. Results go to {@code results.md}, {@code results.json} and
 * {@code events-per-second.png} in the output folder; progress goes to stderr.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.pgoutput.bench.e2e.EndToEndMain [--pg 17] [--workloads W1,W2,W3,W4]
 *      [--scale 1.0] [--contenders library,json,pg_recvlogical,debezium] [--out bench/results]
 *      [--pg-recvlogical PATH] [--debezium-target bench-debezium/target] [--decoders panama,bytebuffer]
 *      [--jvm-options "options for this library's child JVMs, e.g. a JFR recording"]
 * </pre>
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
        Path recvlogical = o.pgRecvlogical != null ? Path.of(o.pgRecvlogical) : findPgRecvlogical();
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

        List<Result> results = new ArrayList<>();
        String setup;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(o.pg)
                .setting("max_replication_slots", "16")
                .setting("max_wal_senders", "16")
                .setting("max_wal_size", "8GB")
                .setting("checkpoint_timeout", "1h")
                .setting("synchronous_commit", "off")
                .start()) {
            setup = String.format(Locale.ROOT, "PostgreSQL %d (testkit, synchronous_commit=off), scale %s, %d CPUs, "
                            + "%s %s, JDK %s, %s.", pg.majorVersion(), o.scale, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS));
            System.err.println("end-to-end: " + setup);
            for (Workload w : o.workloads) {
                results.addAll(runWorkload(pg, w, o.scale, contenders));
                // After every workload, so that a long run that fails later keeps what it measured.
                new Report(results, setup).writeAll(Path.of(o.out));
            }
        }
        Report report = new Report(results, setup);
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

    private static String queryOne(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** pg_recvlogical on the PATH, or in Debian's versioned PostgreSQL folders; null when absent. */
    static Path findPgRecvlogical() throws Exception {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "pg_recvlogical");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin/pg_recvlogical")).filter(Files::isExecutable)
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
        List<String> contenders = List.of("library", "json", "pg_recvlogical", "debezium");
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
                    case "-h", "--help" -> {
                        System.out.println("options: --pg 12..18 (17) --workloads W1,W2,W3,W4 --scale 1.0 "
                                + "--contenders library,json,pg_recvlogical,debezium --out bench/results "
                                + "--pg-recvlogical PATH --debezium-target bench-debezium/target "
                                + "--decoders panama,bytebuffer --jvm-options \"-XX:+FlightRecorder ...\" (library JVMs)");
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
