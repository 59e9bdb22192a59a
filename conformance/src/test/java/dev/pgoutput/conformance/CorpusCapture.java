package dev.pgoutput.conformance;

import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.fluent.logical.ChainedLogicalStreamBuilder;

/**
 * Captures the corpus that {@link CapturedCorpusTest} replays: starts each PostgreSQL version through
 * testkit, creates one slot per capture mode, runs one workload that makes every message the version
 * can send, and then reads each slot with pgjdbc's replication API directly — deliberately not through
 * our own reader, so that a bug in our transport or engine cannot shape the corpus.
 *
 * <p>Run it with the command in the module's README.md; arguments: {@code outputDirectory [major…]}
 * (default 12 to 18). Besides the files it prints two facts the corpus is meant to settle (PROTOCOL.md's
 * unverified items): where BEGIN's XLogData LSN points, and whether acknowledging a transaction's
 * commit_lsn instead of its end_lsn makes the server send it again.
 */
public final class CorpusCapture {

    /** Consecutive same-shaped changes kept per run; the rest of a bulk load shows nothing new. */
    static final int KEPT_PER_RUN = 3;

    private static final String PUBLICATION = "corpus_pub";
    private static final String ACK_PROBE_SLOT = "corpus_ack_probe";
    private static final long READ_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    /**
     * One way of reading the same slot contents.
     *
     * @param name      part of the file name
     * @param proto     proto_version
     * @param binary    binary tuples
     * @param streaming null, "on" or "parallel"
     * @param messages  logical messages (PG14+)
     * @param twoPhase  two_phase (PG15+; the slot is created with two_phase too)
     */
    record Mode(String name, int proto, boolean binary, String streaming, boolean messages, boolean twoPhase) {

        Map<String, String> options() {
            Map<String, String> o = new LinkedHashMap<>();
            o.put("proto_version", Integer.toString(proto));
            o.put("publication_names", PUBLICATION);
            if (binary) {
                o.put("binary", "true");
            }
            if (messages) {
                o.put("messages", "true");
            }
            if (streaming != null) {
                o.put("streaming", streaming);
            }
            if (twoPhase) {
                o.put("two_phase", "true");
            }
            return o;
        }
    }

    private CorpusCapture() {
    }

    /** The richest option sets each version accepts: text, binary (PG14+) and parallel streaming (PG16+). */
    static List<Mode> modes(int major) {
        if (major < 14) {
            return List.of(new Mode("text", 1, false, null, false, false));
        }
        int proto = major == 14 ? 2 : major == 15 ? 3 : 4;
        boolean twoPhase = major >= 15;
        List<Mode> modes = new ArrayList<>();
        modes.add(new Mode("text", proto, false, "on", true, twoPhase));
        modes.add(new Mode("binary", proto, true, "on", true, twoPhase));
        if (major >= 16) {
            modes.add(new Mode("parallel", 4, false, "parallel", true, twoPhase));
        }
        return modes;
    }

    /**
     * Captures the corpus.
     *
     * @param args output directory, then the major versions (default 12 to 18)
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--fuzz-seeds")) {
            writeFuzzSeeds(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/corpus");
        List<Integer> majors = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            majors.add(Integer.parseInt(args[i]));
        }
        if (majors.isEmpty()) {
            majors = List.of(12, 13, 14, 15, 16, 17, 18);
        }
        Files.createDirectories(out);
        for (int major : majors) {
            capture(major, out);
        }
    }

    /**
     * Copies a few real messages into the Jazzer input folders ({@code DifferentialFuzzTestInputs}): one
     * of each type from PG17's binary and parallel captures for {@code oneMessage}, and PG17's streamed
     * transactions, framed with an Int16 length as {@code messageSequence} expects, so the fuzzer starts
     * from what servers really send.
     */
    static void writeFuzzSeeds(Path corpusDir, Path inputsDir) throws Exception {
        for (String file : List.of("pg17-binary", "pg17-parallel")) {
            CapturedCorpus corpus;
            try (var in = Files.newInputStream(corpusDir.resolve(file + ".pgoc"))) {
                corpus = CapturedCorpus.read(in);
            }
            java.util.Set<Character> seen = new java.util.HashSet<>();
            for (CapturedCorpus.Frame f : corpus.frames()) {
                if (seen.add(f.type())) {
                    Files.write(inputsDir.resolve("oneMessage").resolve("captured-" + file + "-" + typeName(f.type())),
                            f.payload());
                }
            }
            java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
            boolean inStream = false;
            for (CapturedCorpus.Frame f : corpus.frames()) {
                inStream |= f.type() == 'S';
                if (inStream && f.payload().length <= 0xFFFF) {
                    framed.write(f.payload().length >>> 8);
                    framed.write(f.payload().length);
                    framed.write(f.payload());
                }
                if (f.type() == 'A' || f.type() == 'c' || f.type() == 'p') {
                    inStream = false;
                }
            }
            Files.write(inputsDir.resolve("messageSequence").resolve("captured-" + file + "-streamed"),
                    framed.toByteArray());
        }
    }

    /** File names must not differ only in case (K/k, P/p, B/b) on case-insensitive file systems. */
    private static String typeName(char type) {
        return Character.isUpperCase(type) ? type + "-upper" : type + "-lower";
    }

    static void capture(int major, Path out) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().version(major)
                // PREPARE TRANSACTION needs slots for prepared transactions (0 by default).
                .setting("max_prepared_transactions", "10");
        if (major >= 13) {
            // The smallest value allowed: a few thousand rows are enough to make the server stream.
            builder.setting("logical_decoding_work_mem", "64kB");
        }
        try (EmbeddedPostgres pg = builder.start()) {
            Workload.createSchema(pg, major);
            List<Mode> modes = modes(major);
            for (Mode m : modes) {
                createSlot(pg, slot(major, m), m.twoPhase());
            }
            createSlot(pg, ACK_PROBE_SLOT, false);
            long markerStart = Workload.run(pg, major);
            for (Mode m : modes) {
                CapturedCorpus corpus = read(pg, slot(major, m), m, markerStart);
                Path file = out.resolve("pg" + major + "-" + m.name() + ".pgoc");
                try (OutputStream o = Files.newOutputStream(file)) {
                    corpus.write(o);
                }
                System.out.printf("PG%d %-8s %5d messages, %s, %d bytes -> %s%n", major, m.name(),
                        corpus.frames().size(), corpus.header().get("trimmed") + " trimmed", Files.size(file), file);
                describeBegins(major, m, corpus);
            }
            probeAcknowledgement(pg, major, markerStart);
        }
    }

    private static String slot(int major, Mode m) {
        return "corpus_" + major + "_" + m.name();
    }

    private static void createSlot(EmbeddedPostgres pg, String slot, boolean twoPhase) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute(twoPhase
                    ? "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput', false, true)"
                    : "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        }
    }

    private static Connection replicationConnection(EmbeddedPostgres pg) throws SQLException {
        Properties p = new Properties();
        PGProperty.USER.set(p, pg.user());
        PGProperty.PASSWORD.set(p, pg.password());
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
        PGProperty.REPLICATION.set(p, "database");
        PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database(), p);
    }

    private static PGReplicationStream start(Connection c, String slot, Map<String, String> options)
            throws SQLException {
        ChainedLogicalStreamBuilder b = c.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                .logical().withSlotName(slot).withStartPosition(LogSequenceNumber.valueOf(0L))
                .withStatusInterval(10, TimeUnit.SECONDS);
        options.forEach(b::withSlotOption);
        return b.start();
    }

    /** Reads up to the marker transaction's Commit (the first Commit past {@code markerStart}). */
    static CapturedCorpus read(EmbeddedPostgres pg, String slot, Mode mode, long markerStart) throws Exception {
        List<CapturedCorpus.Frame> frames = new ArrayList<>();
        Trimmer trimmer = new Trimmer();
        try (Connection c = replicationConnection(pg); PGReplicationStream stream = start(c, slot, mode.options())) {
            while (true) {
                CapturedCorpus.Frame f = next(stream);
                if (trimmer.keep(f)) {
                    frames.add(f);
                }
                if (f.type() == 'C' && f.lsn() > markerStart) {
                    break;
                }
            }
        }
        Map<String, String> header = new LinkedHashMap<>();
        header.put("server_version_num", Integer.toString(pg.serverVersionNum()));
        header.put("mode", mode.name());
        mode.options().forEach((k, v) -> header.put("option." + k, v));
        header.put("trimmed", Integer.toString(trimmer.dropped));
        header.put("captured_by", CorpusCapture.class.getName());
        return new CapturedCorpus(header, frames);
    }

    private static CapturedCorpus.Frame next(PGReplicationStream stream) throws Exception {
        long deadline = System.nanoTime() + READ_TIMEOUT_NANOS;
        while (true) {
            // readPending, not read: keepalives are answered inside it, and a null lets us enforce a deadline.
            ByteBuffer b = stream.readPending();
            if (b != null) {
                byte[] payload = new byte[b.remaining()];
                b.get(payload);
                return new CapturedCorpus.Frame(stream.getLastReceiveLSN().asLong(), payload);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no message within 120 s");
            }
            Thread.sleep(5);
        }
    }

    /**
     * Keeps the first {@link #KEPT_PER_RUN} of each run of changes with the same type byte and, inside a
     * stream block, the same xid; the bulk transactions exist only to make the server stream, and every
     * further row is the same shape as the first. Everything else (Relation, markers, Stream Start …) is
     * kept, so the trimmed stream is still one a server could send.
     */
    static final class Trimmer {
        private boolean inBlock;
        private long runKey = -1;
        private int runLength;
        int dropped;

        boolean keep(CapturedCorpus.Frame f) {
            char t = f.type();
            if (t == 'S') {
                inBlock = true;
            } else if (t == 'E') {
                inBlock = false;
            }
            if (t != 'I' && t != 'U' && t != 'D') {
                runKey = -1;
                return true;
            }
            long key = t;
            if (inBlock && f.payload().length >= 5) {
                key |= (long) ByteBuffer.wrap(f.payload(), 1, 4).getInt() << 8;
            }
            runLength = key == runKey ? runLength + 1 : 1;
            runKey = key;
            if (runLength > KEPT_PER_RUN) {
                dropped++;
                return false;
            }
            return true;
        }
    }

    /** PROTOCOL.md leaves BEGIN's XLogData LSN unverified: print it next to final_lsn and the first change. */
    private static void describeBegins(int major, Mode m, CapturedCorpus corpus) {
        List<CapturedCorpus.Frame> frames = corpus.frames();
        int begins = 0;
        int equalToFirstChange = 0;
        int equalToFinalLsn = 0;
        for (int i = 0; i < frames.size(); i++) {
            CapturedCorpus.Frame f = frames.get(i);
            if (f.type() != 'B') {
                continue;
            }
            begins++;
            long finalLsn = ByteBuffer.wrap(f.payload(), 1, 8).getLong();
            long firstChange = 0;
            for (int k = i + 1; k < frames.size() && firstChange == 0; k++) {
                char t = frames.get(k).type();
                if (t == 'I' || t == 'U' || t == 'D' || t == 'T' || t == 'M' || t == 'O') {
                    firstChange = frames.get(k).lsn();
                }
            }
            equalToFirstChange += f.lsn() == firstChange ? 1 : 0;
            equalToFinalLsn += f.lsn() == finalLsn ? 1 : 0;
        }
        System.out.printf("PG%d %-8s BEGIN XLogData LSN: %d begins, %d equal to the first change's LSN, %d equal to final_lsn%n",
                major, m.name(), begins, equalToFirstChange, equalToFinalLsn);
    }

    /**
     * Acknowledges the marker transaction's commit_lsn on a fresh slot, reconnects and looks whether the
     * transaction comes again; then does the same with its end_lsn. Prints what it saw.
     */
    private static void probeAcknowledgement(EmbeddedPostgres pg, int major, long markerStart) throws Exception {
        Mode basic = new Mode("probe", 1, false, null, false, false);
        long commitLsn;
        long endLsn;
        try (Connection c = replicationConnection(pg); PGReplicationStream s = start(c, ACK_PROBE_SLOT, basic.options())) {
            CapturedCorpus.Frame f;
            do {
                f = next(s);
            } while (!(f.type() == 'C' && f.lsn() > markerStart));
            ByteBuffer commit = ByteBuffer.wrap(f.payload());
            commitLsn = commit.getLong(2);
            endLsn = commit.getLong(10);
            acknowledge(s, commitLsn);
        }
        boolean againAfterCommitLsn = markerComesAgain(pg, basic, endLsn);
        boolean againAfterEndLsn = markerComesAgain(pg, basic, endLsn);
        System.out.printf("PG%d ack probe: commit_lsn %s, end_lsn %s; acked commit_lsn -> resent=%b; acked end_lsn -> resent=%b%n",
                major, LogSequenceNumber.valueOf(commitLsn), LogSequenceNumber.valueOf(endLsn),
                againAfterCommitLsn, againAfterEndLsn);
    }

    private static void acknowledge(PGReplicationStream s, long lsn) throws SQLException {
        s.setFlushedLSN(LogSequenceNumber.valueOf(lsn));
        s.setAppliedLSN(LogSequenceNumber.valueOf(lsn));
        s.forceUpdateStatus();
    }

    /** Reconnects, reads for two seconds; true if the marker's Commit arrives. Then acks {@code endLsn}. */
    private static boolean markerComesAgain(EmbeddedPostgres pg, Mode basic, long endLsn)
            throws Exception {
        boolean seen = false;
        try (Connection c = replicationConnection(pg); PGReplicationStream s = start(c, ACK_PROBE_SLOT, basic.options())) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                ByteBuffer b = s.readPending();
                if (b == null) {
                    Thread.sleep(5);
                } else if (b.get(b.position()) == 'C' && s.getLastReceiveLSN().asLong() == endLsn) {
                    seen = true;
                }
            }
            acknowledge(s, endLsn);
        }
        return seen;
    }

    /** The schema and the changes; every statement is here so that the corpus can be re-made exactly. */
    static final class Workload {

        /** A value stored out of line (STORAGE EXTERNAL skips compression), so an UPDATE can send 'u'. */
        private static final String TOASTED = "repeat('toast-', 500)";

        private Workload() {
        }

        static void createSchema(EmbeddedPostgres pg, int major) throws SQLException {
            execute(pg,
                    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                    "CREATE DOMAIN posint AS integer CHECK (VALUE > 0)",
                    "CREATE TYPE pair AS (a integer, b text)",
                    // aclitem has no binary send function: in binary mode its column falls back to 't'.
                    "CREATE TABLE items (id integer PRIMARY KEY, name text, mood mood, qty posint, pos pair, "
                            + "price numeric(10,2), tags text[], seen timestamptz, flag boolean, data bytea, "
                            + "acl aclitem, doc text)",
                    "ALTER TABLE items ALTER COLUMN doc SET STORAGE EXTERNAL",
                    "CREATE TABLE audit (id integer PRIMARY KEY, note text, doc text)",
                    "ALTER TABLE audit REPLICA IDENTITY FULL",
                    "ALTER TABLE audit ALTER COLUMN doc SET STORAGE EXTERNAL",
                    "CREATE TABLE parent (id serial PRIMARY KEY, v text)",
                    "CREATE TABLE child (id serial PRIMARY KEY, parent_id integer REFERENCES parent (id))",
                    "CREATE TABLE bulk (id integer PRIMARY KEY, payload text)",
                    "CREATE TABLE corpus_end (id integer PRIMARY KEY)",
                    "CREATE PUBLICATION " + PUBLICATION + " FOR ALL TABLES",
                    "SELECT pg_replication_origin_create('corpus_origin')");
        }

        /** Runs the changes; returns the WAL insert position just before the marker transaction. */
        static long run(EmbeddedPostgres pg, int major) throws SQLException {
            execute(pg,
                    "INSERT INTO items VALUES (1, 'plain', 'ok', 5, ROW(1, 'one'), 12.50, ARRAY['a', NULL, 'c'], "
                            + "'2024-02-29 12:34:56.789+00', true, '\\x00ff', 'postgres=r/postgres', " + TOASTED + ")",
                    "INSERT INTO items VALUES (2, 'ünïcødé ☃ 𝄞', 'happy', 7, ROW(2, NULL), -0.01, '{}', "
                            + "'-infinity', false, NULL, NULL, " + TOASTED + ")",
                    "INSERT INTO items (id) VALUES (3)", // NULLs everywhere but the key
                    // Non-key change: the toasted doc is not sent ('u'), no old part.
                    "UPDATE items SET qty = 8, name = 'plain, updated' WHERE id = 1",
                    // Key change under DEFAULT: old key 'K'.
                    "UPDATE items SET id = 20 WHERE id = 2",
                    "DELETE FROM items WHERE id = 20",
                    "INSERT INTO audit VALUES (1, 'first', " + TOASTED + ")",
                    // FULL: old row 'O' with the toasted value inlined; the new tuple may still say 'u'.
                    "UPDATE audit SET note = 'second' WHERE id = 1",
                    "DELETE FROM audit WHERE id = 1",
                    "INSERT INTO parent (v) VALUES ('p1'), ('p2')",
                    "INSERT INTO child (parent_id) VALUES (1), (2)",
                    "TRUNCATE parent RESTART IDENTITY CASCADE",
                    "SELECT pg_logical_emit_message(false, 'corpus', 'non-transactional ☃')");
            transaction(pg,
                    "INSERT INTO items (id, name) VALUES (4, 'with a message')",
                    "SELECT pg_logical_emit_message(true, 'corpus', 'transactional')",
                    "SELECT pg_logical_emit_message(true, '', ''::bytea)",
                    "UPDATE items SET mood = 'sad' WHERE id = 4");
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                // The transaction's origin is what a subscriber that replays another server's changes sets.
                s.execute("SELECT pg_replication_origin_session_setup('corpus_origin')");
                c.setAutoCommit(false);
                s.execute("SELECT pg_replication_origin_xact_setup('0/1234ABCD', '2024-01-01 00:00:00+00')");
                s.execute("INSERT INTO items (id, name) VALUES (5, 'from elsewhere')");
                c.commit();
                c.setAutoCommit(true);
                s.execute("SELECT pg_replication_origin_session_reset()");
            }
            // Big enough to be streamed at 64kB; the savepoint's rows are streamed before they are rolled
            // back, so the server must send a Stream Abort for the subtransaction alone.
            transaction(pg,
                    "INSERT INTO bulk SELECT g, 'row ' || g FROM generate_series(1, 1500) g",
                    "SAVEPOINT s1",
                    "INSERT INTO bulk SELECT g, 'rolled back ' || g FROM generate_series(1501, 3000) g",
                    "ROLLBACK TO SAVEPOINT s1",
                    "INSERT INTO bulk VALUES (3001, 'after the savepoint')",
                    "SELECT pg_logical_emit_message(true, 'corpus', 'in a streamed transaction')",
                    "UPDATE bulk SET payload = 'changed' WHERE id = 1",
                    "DELETE FROM bulk WHERE id = 2",
                    "TRUNCATE corpus_end");
            // A streamed transaction that aborts as a whole.
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO bulk SELECT g, 'aborted ' || g FROM generate_series(10001, 11500) g");
                c.rollback();
            }
            // Two-phase: one committed, one rolled back, and one big enough to be a streamed prepare.
            prepared(pg, "corpus_gid_1", true, "INSERT INTO items (id, name) VALUES (6, 'prepared')");
            prepared(pg, "corpus_gid_2", false, "INSERT INTO items (id, name) VALUES (7, 'rolled back')");
            prepared(pg, "corpus_gid_3", true,
                    "INSERT INTO bulk SELECT g, 'prepared ' || g FROM generate_series(20001, 21500) g");
            execute(pg, "TRUNCATE child");
            long markerStart = lsn(pg, "SELECT pg_current_wal_insert_lsn()");
            execute(pg, "INSERT INTO corpus_end VALUES (1)");
            return markerStart;
        }

        private static void prepared(EmbeddedPostgres pg, String gid, boolean commit, String sql) throws SQLException {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("BEGIN");
                s.execute(sql);
                s.execute("PREPARE TRANSACTION '" + gid + "'");
                s.execute((commit ? "COMMIT" : "ROLLBACK") + " PREPARED '" + gid + "'");
            }
        }

        private static void transaction(EmbeddedPostgres pg, String... statements) throws SQLException {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (String sql : statements) {
                    s.execute(sql);
                }
                c.commit();
            }
        }

        private static void execute(EmbeddedPostgres pg, String... statements) throws SQLException {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }

        private static long lsn(EmbeddedPostgres pg, String query) throws SQLException {
            try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
                r.next();
                return LogSequenceNumber.valueOf(r.getString(1)).asLong();
            }
        }
    }
}
