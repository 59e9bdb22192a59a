package dev.pgoutput.bench;

import dev.pgoutput.bench.e2e.Workload;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.fluent.logical.ChainedLogicalStreamBuilder;

/**
 * Captures the W1 corpus ({@code corpus/w1-text.pgoc.gz}, {@code corpus/w1-binary.pgoc.gz}): issue 6's W1
 * workload at 1 % of its size — {@value #ROWS} rows of a 6-column table (bigint key, text, numeric(12,2),
 * timestamptz, boolean, jsonb; REPLICA IDENTITY FULL) inserted in {@value #ROWS_PER_TRANSACTION}-row
 * transactions, then 10 % updated and 10 % deleted — on PostgreSQL 17 started through testkit.
 *
 * <p>Two slots are created before the workload and each is read once with pgjdbc's replication API
 * directly ({@code readPending()}), protocol version 4, one in text and one in binary tuple format, so
 * that nothing of this library shapes the corpus. Nothing is trimmed. Run it with the command in the
 * module's README.md; argument: the output directory (default {@code src/main/resources/corpus}).
 */
public final class W1Capture {

    static final int ROWS = 10_000;
    static final int ROWS_PER_TRANSACTION = 1_000;
    private static final String PUBLICATION = "w1_pub";
    private static final long READ_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private W1Capture() {
    }

    /**
     * Captures both files.
     *
     * @param args the output directory
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/main/resources/corpus");
        Files.createDirectories(out);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(17).start()) {
            execute(pg,
                    "CREATE TABLE w1 (id bigint PRIMARY KEY, name text, amount numeric(12,2), at timestamptz, "
                            + "active boolean, doc jsonb)",
                    "ALTER TABLE w1 REPLICA IDENTITY FULL",
                    "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE w1",
                    "SELECT pg_create_logical_replication_slot('w1_text', 'pgoutput')",
                    "SELECT pg_create_logical_replication_slot('w1_binary', 'pgoutput')");
            int transactions = runWorkload(pg);
            for (boolean binary : new boolean[] {false, true}) {
                String mode = binary ? "binary" : "text";
                Corpus corpus = read(pg, "w1_" + mode, binary, transactions);
                Path file = out.resolve("w1-" + mode + ".pgoc.gz");
                try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
                    corpus.write(o);
                }
                System.out.printf("w1 %-6s %6d messages, %9d bytes of pgoutput -> %s (%d bytes)%n", mode,
                        corpus.size(), corpus.totalBytes(), file, Files.size(file));
            }
        }
    }

    /** Runs the workload; returns how many transactions it committed. */
    static int runWorkload(EmbeddedPostgres pg) throws SQLException {
        int transactions = 0;
        for (int first = 1; first <= ROWS; first += ROWS_PER_TRANSACTION) {
            execute(pg, Workload.insertSixColumns("w1", first, first + ROWS_PER_TRANSACTION - 1));
            transactions++;
        }
        execute(pg, Workload.updateTenPercent("w1"));
        execute(pg, Workload.deleteTenPercent("w1"));
        return transactions + 2;
    }

    private static Corpus read(EmbeddedPostgres pg, String slot, boolean binary, int transactions) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("proto_version", "4");
        options.put("publication_names", PUBLICATION);
        if (binary) {
            options.put("binary", "true");
        }
        List<byte[]> payloads = new ArrayList<>();
        List<Long> lsns = new ArrayList<>();
        try (Connection c = replicationConnection(pg); PGReplicationStream stream = start(c, slot, options)) {
            int commits = 0;
            while (commits < transactions) {
                byte[] payload = next(stream);
                payloads.add(payload);
                lsns.add(stream.getLastReceiveLSN().asLong());
                commits += payload[0] == 'C' ? 1 : 0;
            }
        }
        Map<String, String> header = new LinkedHashMap<>();
        header.put("server_version_num", Integer.toString(pg.serverVersionNum()));
        header.put("workload", "W1 (issue 6), " + ROWS + " rows in " + ROWS_PER_TRANSACTION
                + "-row transactions, then 10% updated and 10% deleted");
        options.forEach((k, v) -> header.put("option." + k, v));
        header.put("trimmed", "0");
        header.put("captured_by", W1Capture.class.getName());
        return new Corpus("w1-" + (binary ? "binary" : "text"), header, payloads, lsns);
    }

    private static byte[] next(PGReplicationStream stream) throws Exception {
        long deadline = System.nanoTime() + READ_TIMEOUT_NANOS;
        while (true) {
            ByteBuffer b = stream.readPending();
            if (b != null) {
                byte[] payload = new byte[b.remaining()];
                b.get(payload);
                return payload;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no message within 120 s");
            }
            Thread.sleep(5);
        }
    }

    private static Connection replicationConnection(EmbeddedPostgres pg) throws SQLException {
        Properties p = new Properties();
        PGProperty.USER.set(p, pg.user());
        PGProperty.PASSWORD.set(p, pg.password());
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
        PGProperty.REPLICATION.set(p, "database");
        PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        return DriverManager.getConnection("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database(), p);
    }

    private static PGReplicationStream start(Connection c, String slot, Map<String, String> options) throws SQLException {
        ChainedLogicalStreamBuilder b = c.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                .logical().withSlotName(slot).withStartPosition(LogSequenceNumber.valueOf(0L))
                .withStatusInterval(1, TimeUnit.SECONDS);
        options.forEach(b::withSlotOption);
        return b.start();
    }

    private static void execute(EmbeddedPostgres pg, String... statements) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
