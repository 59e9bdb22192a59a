package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgoutput.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once source support (KIP-618) on a worker with {@code exactly.once.source.support=enabled} (a cluster of
 * this class's own). The workload is the test's own: each PostgreSQL transaction records its xid
 * ({@code txid_current()}) and the records it must give, two of them interleaved, one with an update and a delete
 * (delete + tombstone), two larger than a poll batch (1,024 records), over two tables (two single-partition topics).
 *
 * <ul>
 *   <li>{@code transaction.boundary=connector}: on each topic, every Kafka transaction (offset gaps, checked against
 *       the COMMIT markers in the broker's log) holds records of one PostgreSQL transaction, each PostgreSQL
 *       transaction is in one Kafka transaction per topic, and the offsets committed with the Kafka transactions
 *       (one per Kafka transaction) name the PostgreSQL transactions in commit order, once each, so no PostgreSQL
 *       transaction was cut between topics; except the one above {@code pgoutput.transaction.max.records}, cut
 *       after that many records, and after the tombstone of the delete that is the last of them.
 *   <li>{@code poll} and {@code interval}: every record arrives once; under {@code poll} the transaction larger
 *       than a batch is cut (Connect's boundaries, not PostgreSQL's: the mode matters).
 *   <li>Always: the slot is confirmed past the last record (offsets read back under exactly-once).
 * </ul>
 */
class ExactlyOnceIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = ConnectCluster.ownCluster("pgoutput-eos",
            Map.of("exactly.once.source.support", "enabled"));

    /** The cap under test: the 1,100-record transaction stays whole, the 1,301-record one is cut. */
    private static final int CAP = 1200;

    /** One PostgreSQL transaction of the workload: its xid and the records it gives ({@code table:op:id}). */
    private record PgTx(long xid, List<String> records) {
    }

    /**
     * A consumed record with its transaction and LSN; a tombstone has no source block and takes its delete's,
     * the record right before it on the partition.
     */
    private record Seen(CapturedRecord record, long xid, long lsn, String description) {
    }

    @Test
    void eachPostgresTransactionIsOneKafkaTransaction() throws Exception {
        try (TestDatabase db = setUp("eos")) {
            String prefix = TestDatabase.unique("eo");
            Map<String, String> config = config(db, prefix, "connector");
            config.put(PgOutputConnectorConfig.TRANSACTION_MAX_RECORDS, Integer.toString(CAP));
            String connector = "eos-" + prefix;
            CONNECT.startConnector(connector, config);
            try {
                db.awaitSlot(config.get("slot.name"));
                List<PgTx> workload = workload(db);
                Map<String, List<List<Seen>>> groups = awaitGroups(prefix, workload);
                assertWhole(workload, groups);

                Map<Long, PgTx> byXid = new HashMap<>();
                workload.forEach(tx -> byXid.put(tx.xid(), tx));
                for (var topic : groups.entrySet()) {
                    Set<Long> seen = new LinkedHashSet<>();
                    for (List<Seen> group : topic.getValue()) {
                        Set<Long> xids = new LinkedHashSet<>(group.stream().map(Seen::xid).toList());
                        assertEquals(1, xids.size(), "a Kafka transaction on " + topic.getKey()
                                + " holds records of PostgreSQL transactions " + xids);
                        long xid = xids.iterator().next();
                        boolean capped = byXid.get(xid).records().size() > CAP;
                        assertTrue(seen.add(xid) || capped, "PostgreSQL transaction " + xid + " is in two Kafka "
                                + "transactions on " + topic.getKey());
                    }
                }

                // One committed offset per Kafka transaction: the PostgreSQL transactions, in commit order, once
                // each, the capped one once per CAP records.
                List<Long> expected = new ArrayList<>();
                for (PgTx tx : workload) {
                    for (int n = 0; n < tx.records().size(); n += CAP) {
                        expected.add(tx.xid());
                    }
                }
                List<JsonNode> offsets = KafkaTransactionLog.committedOffsets(CONNECT, offsetsTopic(prefix), connector);
                assertEquals(expected, offsets.stream().map(o -> o.get("txId").asLong()).toList(),
                        "the transactions of the committed offsets: " + offsets);

                // The capped transaction, cut at the LSN its first offset names: after the CAP-th record, a
                // delete, and its tombstone, which shares the delete's offset and is never cut from it.
                PgTx big = workload.stream().filter(tx -> tx.records().size() > CAP).findFirst().orElseThrow();
                long cut = offsets.stream().filter(o -> o.get("txId").asLong() == big.xid()).findFirst()
                        .orElseThrow().get("lsn").asLong();
                long first = groups.values().stream().flatMap(List::stream).flatMap(List::stream)
                        .filter(r -> r.xid() == big.xid() && r.lsn() <= cut).count();
                assertEquals(CAP + 1, first, "records of the " + big.records().size() + "-record transaction in its "
                        + "first Kafka transaction");
                assertTrue(groups.get("items").stream().anyMatch(g -> g.stream().map(Seen::description).toList()
                        .containsAll(List.of("items:d:3", "items:tombstone:3"))), "the delete at the cap and its "
                        + "tombstone in one Kafka transaction");
                awaitSlotPast(db, config.get("slot.name"), groups);
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    @ParameterizedTest(name = "transaction.boundary={0}")
    @ValueSource(strings = {"poll", "interval"})
    void connectsBoundariesDeliverEveryRecordOnce(String boundary) throws Exception {
        try (TestDatabase db = setUp("eos_" + boundary)) {
            String prefix = TestDatabase.unique("eb");
            Map<String, String> config = config(db, prefix, boundary);
            String connector = "eos-" + boundary + "-" + prefix;
            CONNECT.startConnector(connector, config);
            try {
                db.awaitSlot(config.get("slot.name"));
                List<PgTx> workload = workload(db);
                Map<String, List<List<Seen>>> groups = awaitGroups(prefix, workload);
                assertWhole(workload, groups);
                if (boundary.equals("poll")) {
                    // One Kafka transaction per poll, a poll returns at most 1,024 records, and each Kafka
                    // transaction commits the offset of its last record: the first transaction above 1,024 records
                    // is named by two offsets or more (under connector boundaries by one, see above).
                    PgTx large = workload.stream().filter(tx -> tx.records().size() > 1024).findFirst().orElseThrow();
                    long spanned = KafkaTransactionLog.committedOffsets(CONNECT, offsetsTopic(prefix), connector)
                            .stream().filter(o -> o.get("txId").asLong() == large.xid()).count();
                    assertTrue(spanned > 1, "under poll boundaries the " + large.records().size()
                            + "-record transaction is cut, but it is in " + spanned + " Kafka transaction");
                }
                awaitSlotPast(db, config.get("slot.name"), groups);
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    private static TestDatabase setUp(String name) throws SQLException {
        TestDatabase db = TestDatabase.create(PG.server(), name);
        db.execute("CREATE TABLE items (id int PRIMARY KEY, v int)", "CREATE TABLE orders (id int PRIMARY KEY, item int)");
        db.createPublication("public.items, public.orders");
        return db;
    }

    private static Map<String, String> config(TestDatabase db, String prefix, String boundary) {
        Map<String, String> config = PgOutputConnectorIT.ourConfig(db, db.newSlot(), prefix);
        config.put("snapshot.mode", "no_data");
        config.put("exactly.once.support", "required");
        config.put("transaction.boundary", boundary);
        // An offsets topic of the connector's own: its records are this connector's commits and nothing else.
        config.put("offsets.storage.topic", offsetsTopic(prefix));
        return config;
    }

    private static String offsetsTopic(String prefix) {
        return "offsets-" + prefix;
    }

    /**
     * The workload, in commit order: small transactions over both tables, two interleaved (the later-begun one
     * commits first), an update and a delete, 1,100 records, 1,301 records with a delete as record 1,200, and a
     * last small one.
     */
    private static List<PgTx> workload(TestDatabase db) throws SQLException {
        List<PgTx> txs = new ArrayList<>();
        try (Connection a = db.connect(); Connection b = db.connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            txs.add(run(a, List.of("INSERT INTO items VALUES (1, 0), (2, 0), (3, 0)", "INSERT INTO orders VALUES (1, 1), (2, 2)"),
                    "items:c:1", "items:c:2", "items:c:3", "orders:c:1", "orders:c:2"));
            long early = xidOf(a);
            execute(a, "INSERT INTO items VALUES (10, 0)");
            txs.add(run(b, List.of("INSERT INTO orders VALUES (10, 10)", "INSERT INTO items VALUES (11, 0)"),
                    "orders:c:10", "items:c:11"));
            execute(a, "INSERT INTO orders VALUES (11, 10)");
            a.commit();
            txs.add(new PgTx(early, List.of("items:c:10", "orders:c:11")));
            txs.add(run(a, List.of("UPDATE items SET v = 1 WHERE id = 1", "DELETE FROM items WHERE id = 2",
                    "INSERT INTO orders VALUES (3, 3)"), "items:u:1", "items:d:2", "items:tombstone:2", "orders:c:3"));
            txs.add(run(a, List.of("INSERT INTO items SELECT g, 0 FROM generate_series(1000, 1999) g",
                    "INSERT INTO orders SELECT g, g FROM generate_series(1000, 1099) g"),
                    series("items:c:", 1000, 1999, series("orders:c:", 1000, 1099, List.of()))));
            // 1,199 inserts, then a delete (record 1,200: the cap) and its tombstone, then 100 inserts.
            List<String> capped = series("items:c:", 3000, 4198, new ArrayList<>());
            capped.addAll(List.of("items:d:3", "items:tombstone:3"));
            txs.add(run(a, List.of("INSERT INTO items SELECT g, 0 FROM generate_series(3000, 4198) g",
                    "DELETE FROM items WHERE id = 3", "INSERT INTO orders SELECT g, g FROM generate_series(3000, 3099) g"),
                    series("orders:c:", 3000, 3099, capped)));
            txs.add(run(b, List.of("INSERT INTO orders VALUES (5, 5)"), "orders:c:5"));
        }
        return txs;
    }

    private static PgTx run(Connection c, List<String> statements, String... records) throws SQLException {
        return run(c, statements, List.of(records));
    }

    private static PgTx run(Connection c, List<String> statements, List<String> records) throws SQLException {
        long xid = xidOf(c);
        for (String sql : statements) {
            execute(c, sql);
        }
        c.commit();
        return new PgTx(xid, records);
    }

    /** The xid of the connection's open transaction (assigning one), as {@code source.txId} carries it. */
    private static long xidOf(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current() % 4294967296")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> series(String prefix, int from, int to, List<String> then) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(prefix + i);
        }
        out.addAll(then);
        return out;
    }

    /** Waits for every record of the workload, then groups each topic's records by Kafka transaction. */
    private static Map<String, List<List<Seen>>> awaitGroups(String prefix, List<PgTx> workload)
            throws Exception {
        int total = workload.stream().mapToInt(tx -> tx.records().size()).sum();
        CONNECT.consume(total, prefix + ".public.items", prefix + ".public.orders");
        Map<String, List<List<Seen>>> groups = new TreeMap<>();
        for (String table : List.of("items", "orders")) {
            List<List<Seen>> seen = new ArrayList<>();
            Seen previous = null;
            for (List<CapturedRecord> group : KafkaTransactionLog.committedGroups(CONNECT, prefix + ".public." + table)) {
                List<Seen> g = new ArrayList<>();
                for (CapturedRecord r : group) {
                    String description = table + ":" + op(r) + ":" + id(r);
                    if (r.isTombstone()) {
                        assertTrue(previous != null && previous.description().equals(table + ":d:" + id(r)),
                                "a tombstone right after its delete: " + r + " after " + previous);
                        previous = new Seen(r, previous.xid(), previous.lsn(), description);
                    } else {
                        Struct source = r.valueStruct().getStruct("source");
                        previous = new Seen(r, source.getInt64("txId"), source.getInt64("lsn"), description);
                    }
                    g.add(previous);
                }
                seen.add(g);
            }
            groups.put(table, seen);
        }
        return groups;
    }

    /** Every PostgreSQL transaction's records arrived, once each, with its xid. */
    private static void assertWhole(List<PgTx> workload, Map<String, List<List<Seen>>> groups) {
        Map<Long, List<String>> expected = new TreeMap<>();
        workload.forEach(tx -> expected.put(tx.xid(), tx.records().stream().sorted().toList()));
        Map<Long, List<String>> actual = new TreeMap<>();
        groups.values().forEach(gs -> gs.forEach(g -> g.forEach(r ->
                actual.computeIfAbsent(r.xid(), k -> new ArrayList<>()).add(r.description()))));
        actual.values().forEach(l -> l.sort(null));
        assertEquals(expected, actual, "the records of each PostgreSQL transaction (by xid)");
    }

    /** Waits until the slot is confirmed past the last record: the offsets were read back and confirmed. */
    private static void awaitSlotPast(TestDatabase db, String slot, Map<String, List<List<Seen>>> groups)
            throws Exception {
        long last = groups.values().stream().flatMap(List::stream).flatMap(List::stream)
                .mapToLong(Seen::lsn).max().orElseThrow();
        long deadline = System.nanoTime() + ConnectCluster.CONSUME_DEADLINE.toNanos();
        long confirmed;
        while ((confirmed = confirmedFlush(db, slot)) <= last) {
            assertTrue(System.nanoTime() < deadline, "the slot stayed at " + confirmed + ", before the last record "
                    + last + ", for " + ConnectCluster.CONSUME_DEADLINE.toSeconds() + " s");
            Thread.sleep(100);
        }
    }

    private static long confirmedFlush(TestDatabase db, String slot) throws SQLException {
        try (var c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String op(CapturedRecord r) {
        return r.isTombstone() ? "tombstone" : r.valueStruct().getString("op");
    }

    private static int id(CapturedRecord r) {
        return r.keyStruct().getInt32("id");
    }
}
