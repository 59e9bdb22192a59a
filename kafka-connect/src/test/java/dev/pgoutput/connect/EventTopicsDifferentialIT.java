package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The records beside the table topics, Debezium 3.6.1 against ours in the same cluster, each on its own slot over
 * the same WAL (as {@link DifferentialIT}, whose normalisation is used: timestamps, {@code source.version}, the
 * prefix inside names and {@code runId} are what two Debezium runs differ in): logical decoding messages on
 * {@code <prefix>.message}, heartbeats on {@code __debezium-heartbeat.<prefix>}, and transaction metadata on
 * {@code <prefix>.transaction} with the envelopes' {@code transaction} blocks. Every record's topic, key, value,
 * both schemas and headers must be equal; the differences land in {@code target/differential-report-<run>.txt}.
 */
class EventTopicsDifferentialIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    /** Transactional and not, text and binary content, an empty one, beside a change. */
    private static final List<String> MESSAGES = List.of(
            "SELECT pg_logical_emit_message(false, 'plain', 'not in a transaction')",
            "BEGIN; INSERT INTO items VALUES (1, 'one'); "
                    + "SELECT pg_logical_emit_message(true, 'outbox', '{\"order\": 1}'); COMMIT",
            "SELECT pg_logical_emit_message(true, 'bin', '\\x00ff10'::bytea)",
            "SELECT pg_logical_emit_message(false, 'skip.me', 'filtered out by the exclude list')",
            "SELECT pg_logical_emit_message(false, 'empty', '')");

    @Test
    void logicalDecodingMessagesAreDebeziums() throws Exception {
        run("messages", Map.of(), MESSAGES, Map.of("message", 5, "public.items", 1));
    }

    /** Another binary mode (the content becomes a string) and the exclude list (Debezium's filter). */
    @Test
    void messagesInBase64WithAnExcludedPrefix() throws Exception {
        run("messages-base64", Map.of("binary.handling.mode", "base64", "message.prefix.exclude.list", "SKIP\\..*"),
                MESSAGES, Map.of("message", 4, "public.items", 1));
    }

    /** Messages with transaction metadata: a transactional message is an event of its transaction. */
    @Test
    void messagesWithTransactionMetadata() throws Exception {
        run("messages-transactions", Map.of("provide.transaction.metadata", "true"), MESSAGES,
                Map.of("message", 5, "public.items", 1, "transaction", 4));
    }

    /**
     * Transaction metadata over the many-types workload (a key change counts twice, a tombstone not at all), a
     * transaction over two tables (per-table counts), and a truncation skipped by {@code skipped.operations=t}:
     * Debezium still writes its BEGIN and END, with no events.
     */
    @Test
    void transactionMetadataIsDebeziums() throws Exception {
        List<String> statements = List.of(
                "BEGIN; INSERT INTO comp VALUES (7, 'p', 1); INSERT INTO nokey VALUES (7, 'seven'); "
                        + "UPDATE comp SET v = 2 WHERE a = 7; INSERT INTO more (id) VALUES (7); COMMIT",
                "TRUNCATE nokey");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : TypesWorkload.TOPICS) {
            counts.put(t, 0);
        }
        counts.put("transaction", 2 * (18 + 2));
        // The workload's records (DebeziumCaptureIT.RECORDS) and the two-table transaction's four.
        run("transactions", Map.of("provide.transaction.metadata", "true"), statements, counts,
                DebeziumCaptureIT.RECORDS + 4 + 2 * (18 + 2), true);
    }

    /**
     * The same with {@code table.include.list} leaving out {@code nokey}: its transactions (three of the workload's
     * and the truncation) still get BEGIN and END with no events, and the two-table transaction counts without it.
     */
    @Test
    void transactionMetadataWithATableFilter() throws Exception {
        List<String> statements = List.of(
                "BEGIN; INSERT INTO comp VALUES (7, 'p', 1); INSERT INTO nokey VALUES (7, 'seven'); "
                        + "UPDATE comp SET v = 2 WHERE a = 7; INSERT INTO more (id) VALUES (7); COMMIT",
                "TRUNCATE nokey");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : TypesWorkload.TOPICS) {
            if (!t.equals("public.nokey")) {
                counts.put(t, 0);
            }
        }
        counts.put("transaction", 2 * (18 + 2));
        // nokey's five records (two inserts, an update, a delete and its tombstone) and its insert above are gone.
        run("transactions-filtered", Map.of("provide.transaction.metadata", "true",
                "table.include.list", "public\\.(types_pk|comp|toasty|more)"), statements, counts,
                DebeziumCaptureIT.RECORDS - 5 + 3 + 2 * (18 + 2), true);
    }

    /** Heartbeats: the record's topic, key, value schema and headers (its time removed). */
    @Test
    void heartbeatsAreDebeziums() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "hbdiff")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, v text)");
            db.createPublication("public.items");
            Connectors c = start(db, Map.of("heartbeat.interval.ms", "500"));
            try {
                // No change at all: the first heartbeats carry the position the connectors started from.
                CapturedRecord theirs = CONNECT.consume(1, "__debezium-heartbeat." + c.dbzPrefix).get(0);
                CapturedRecord ours = CONNECT.consume(1, "__debezium-heartbeat." + c.ourPrefix).get(0);
                List<String> differences = new ArrayList<>();
                DifferentialIT.diff("heartbeat ", DifferentialIT.normalized(theirs, c.dbzPrefix),
                        DifferentialIT.normalized(ours, c.ourPrefix), "", differences);
                assertEquals(theirs.topic().replace(c.dbzPrefix, "PREFIX"), ours.topic().replace(c.ourPrefix, "PREFIX"));
                assertEquals(theirs.raw().partition(), ours.raw().partition(), "Kafka partition");
                assertEquals(List.of(), differences, "heartbeat differs from Debezium's: " + theirs + " / " + ours);
            } finally {
                c.close();
            }
        }
    }

    /** Both connectors on their own slots and prefixes of one database, with the same extra properties. */
    private record Connectors(String dbzPrefix, String ourPrefix) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            CONNECT.deleteConnector("pgoutput-" + ourPrefix);
            CONNECT.deleteConnector("debezium-" + dbzPrefix);
        }
    }

    private static Connectors start(TestDatabase db, Map<String, String> properties) throws Exception {
        String dbzPrefix = TestDatabase.unique("dbz");
        String ourPrefix = TestDatabase.unique("pgo");
        String dbzSlot = db.newSlot();
        String ourSlot = db.newSlot();
        Map<String, String> ours = PgOutputConnectorIT.ourConfig(db, ourSlot, ourPrefix);
        ours.putAll(properties);
        Map<String, String> theirs = DebeziumReferenceIT.debeziumConfig(db, dbzSlot, dbzPrefix);
        theirs.putAll(properties);
        CONNECT.startConnector("debezium-" + dbzPrefix, theirs);
        CONNECT.startConnector("pgoutput-" + ourPrefix, ours);
        db.awaitSlot(dbzSlot);
        db.awaitSlot(ourSlot);
        return new Connectors(dbzPrefix, ourPrefix);
    }

    private void run(String name, Map<String, String> properties, List<String> statements,
                     Map<String, Integer> counts) throws Exception {
        run(name, properties, statements, counts, counts.values().stream().mapToInt(Integer::intValue).sum(), false);
    }

    /**
     * Runs {@link TypesWorkload} (when {@code counts} names its topics) or a table {@code items}, then {@code
     * statements}, through both connectors, and compares every record of the topics in {@code counts} (suffixes
     * after the prefix), {@code total} records in all (each topic's count is checked only when it is above 0);
     * with {@code offsets}, also the offsets both connectors stored at the end.
     */
    private void run(String name, Map<String, String> properties, List<String> statements,
                     Map<String, Integer> counts, int total, boolean offsets) throws Exception {
        boolean types = counts.containsKey(TypesWorkload.TOPICS[0]);
        try (TestDatabase db = TestDatabase.create(PG.server(), "evdiff")) {
            if (types) {
                TypesWorkload.createTables(db);
                db.createPublication(TypesWorkload.TABLES);
            } else {
                db.execute("CREATE TABLE items (id int PRIMARY KEY, v text)");
                db.createPublication("public.items");
            }
            Connectors c = start(db, properties);
            try {
                if (types) {
                    TypesWorkload.run(db);
                }
                db.execute(statements.toArray(String[]::new));
                List<CapturedRecord> theirs = CONNECT.consume(total, topics(c.dbzPrefix, counts));
                List<CapturedRecord> ours = CONNECT.consume(total, topics(c.ourPrefix, counts));
                List<String> differences = new ArrayList<>();
                Map<String, List<CapturedRecord>> a = byTopic(theirs, c.dbzPrefix);
                Map<String, List<CapturedRecord>> b = byTopic(ours, c.ourPrefix);
                for (Map.Entry<String, Integer> expected : counts.entrySet()) {
                    List<CapturedRecord> x = a.getOrDefault(expected.getKey(), List.of());
                    List<CapturedRecord> y = b.getOrDefault(expected.getKey(), List.of());
                    if (expected.getValue() > 0) {
                        assertEquals(expected.getValue(), x.size(), "Debezium's records on " + expected.getKey());
                    }
                    if (x.size() != y.size()) {
                        differences.add(expected.getKey() + " record count: debezium=" + x.size() + " ours=" + y.size());
                    }
                    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                        DifferentialIT.diff(expected.getKey() + "#" + i + " ",
                                DifferentialIT.normalized(x.get(i), c.dbzPrefix),
                                DifferentialIT.normalized(y.get(i), c.ourPrefix), "", differences);
                    }
                }
                List<String> report = new ArrayList<>();
                report.add("properties: " + properties);
                report.add("DIFFERENCES (" + differences.size() + "):");
                report.addAll(differences);
                report.add("");
                report.add("DEBEZIUM'S RECORDS:");
                theirs.forEach(r -> report.add(r.toString()));
                Files.write(Path.of("target", "differential-report-" + name + ".txt"), report, StandardCharsets.UTF_8);
                assertEquals(total, ours.size(), "our record count");
                assertEquals(List.of(), differences,
                        "differences from Debezium (see target/differential-report-" + name + ".txt)");
                if (offsets) {
                    assertStoredOffsetsEqual(c);
                }
            } finally {
                c.close();
            }
        }
    }

    /**
     * The offsets both connectors stored once their last record was flushed (the last END, with Debezium's
     * transaction keys), equal but for {@code ts_usec}: the library keeps commit times in milliseconds.
     */
    private static void assertStoredOffsetsEqual(Connectors c) throws InterruptedException {
        long deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
        Map<String, Object> theirs = Map.of();
        Map<String, Object> ours = Map.of();
        while (System.nanoTime() < deadline) {
            theirs = storedOffset("debezium-" + c.dbzPrefix);
            ours = storedOffset("pgoutput-" + c.ourPrefix);
            if (!theirs.isEmpty() && theirs.equals(ours)) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals(theirs, ours, "stored offsets (without ts_usec)");
        assertEquals("COMMIT", ours.get("messageType"), "the last END's offset: " + ours);
    }

    private static Map<String, Object> storedOffset(String connector) {
        var offsets = CONNECT.cluster().connectorOffsets(connector).offsets();
        Map<String, Object> offset = new TreeMap<>();
        if (!offsets.isEmpty()) {
            offsets.get(0).offset().forEach((k, v) -> offset.put(k, v instanceof Number n ? n.longValue() : v));
            offset.remove("ts_usec");
        }
        return offset;
    }

    private static String[] topics(String prefix, Map<String, Integer> counts) {
        return counts.keySet().stream().map(t -> prefix + "." + t).toArray(String[]::new);
    }

    private static Map<String, List<CapturedRecord>> byTopic(List<CapturedRecord> records, String prefix) {
        Map<String, List<CapturedRecord>> m = new TreeMap<>();
        for (CapturedRecord r : records) {
            m.computeIfAbsent(r.topic().substring(prefix.length() + 1), k -> new ArrayList<>()).add(r);
        }
        return m;
    }
}
