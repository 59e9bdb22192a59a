package dev.pgoutput.connect;

import dev.pgoutput.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database of one test's own on a shared server, with its publication, the slots its connectors use, and the
 * connection properties both connectors (Debezium's and ours) take under the same names. {@link #close()} drops
 * the slots (once their walsenders let go) and the database, so a failed test leaves neither behind.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabase.create(PG.server(), "items")) {
 *     db.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
 *     db.createPublication("public.items");
 *     Map<String, String> config = db.connectorConfig(db.newSlot(), "prefix_1");
 * }
 * }</pre>
 */
final class TestDatabase implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** How long a slot may stay in use after its connector was deleted, while the walsender exits. */
    private static final Duration SLOT_RELEASE = Duration.ofSeconds(30);

    /** How long a connector may take to create its slot after it reports running. */
    private static final Duration SLOT_CREATION = Duration.ofSeconds(30);

    final PostgresServer server;
    final String name;
    final String publication;
    private final List<String> slots = new ArrayList<>();

    private TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
        this.publication = "pub_" + name;
    }

    /** Creates a fresh database on the server, named after {@code prefix}. */
    static TestDatabase create(PostgresServer server, String prefix) throws SQLException {
        TestDatabase db = new TestDatabase(server, unique(prefix));
        server.createDatabase(db.name);
        return db;
    }

    /** A fresh name for a topic prefix, a connector or a slot: unique in the run, lower case. */
    static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    /** A fresh slot name in this database, dropped by {@link #close()}; nothing is created yet. */
    String newSlot() {
        String slot = "slot_" + unique("kc");
        slots.add(slot);
        return slot;
    }

    /** A slot a connector creates under a name of its own (a split task's), dropped by {@link #close()} too. */
    void dropOnClose(String slot) {
        slots.add(slot);
    }

    Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs each statement in its own transaction (autocommit). */
    void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Creates {@link #publication} for the given tables (for example {@code "public.items"}). */
    void createPublication(String tables) throws SQLException {
        execute("CREATE PUBLICATION " + publication + " FOR TABLE " + tables);
    }

    /**
     * The connection, slot and publication properties under Debezium's names, which our connector shares:
     * {@code database.*}, {@code topic.prefix}, {@code slot.name}, {@code publication.name}. A mutable copy, for
     * the caller to add {@code connector.class} and the rest.
     */
    Map<String, String> connectorConfig(String slot, String topicPrefix) {
        Map<String, String> config = new HashMap<>();
        config.put("database.hostname", server.host());
        config.put("database.port", Integer.toString(server.port()));
        config.put("database.user", server.user());
        config.put("database.password", server.password());
        config.put("database.dbname", name);
        config.put("topic.prefix", topicPrefix);
        config.put("slot.name", slot);
        config.put("publication.name", publication);
        config.put("tasks.max", "1");
        return config;
    }

    /**
     * Waits until the slot exists: a connector creates it in its task's start, and only changes committed after
     * that are streamed, so a test writes its workload after this.
     */
    void awaitSlot(String slot) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + SLOT_CREATION.toNanos();
        while (!slotExists(slot)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("slot " + slot + " was not created within " + SLOT_CREATION.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    private boolean slotExists(String slot) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            return rs.next();
        }
    }

    /** Waits until no walsender streams the slot (its connector's task has closed its connection). */
    void awaitSlotInactive(String slot) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + SLOT_RELEASE.toNanos();
        while (slotActive(slot)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("slot " + slot + " is still in use " + SLOT_RELEASE.toSeconds() + " s later");
            }
            Thread.sleep(50);
        }
    }

    private boolean slotActive(String slot) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            if (!rs.next()) {
                throw new AssertionError("slot " + slot + " does not exist");
            }
            return rs.getBoolean(1);
        }
    }

    /** Drops the slot if it exists, once its walsender has let it go. */
    void dropSlot(String slot) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + SLOT_RELEASE.toNanos();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery(
                        "SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                    if (!rs.next()) {
                        return;
                    }
                    if (!rs.getBoolean("active")) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("slot " + slot + " is still in use by process " + rs.getInt("active_pid")
                                + " " + SLOT_RELEASE.toSeconds() + " s after its connector was deleted");
                    }
                }
                Thread.sleep(50);
            }
            s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    /**
     * Creates a reference slot (dropped by {@link #close()}): a reader on it later tells how the server cut the
     * workload into transactions, independently of the connector under test.
     */
    String referenceSlot() throws SQLException {
        String slot = newSlot();
        execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        return slot;
    }

    /** One transaction as the reference reader saw it: its xid, where its commit record ends, its rows' ids. */
    record ReferenceTransaction(long xid, long endLsn, List<Integer> ids) {
    }

    /**
     * The transactions on {@code slot} (see {@link #referenceSlot()}) in commit order, until {@code rows} rows
     * (the {@code id} column of inserts and updates) were seen.
     */
    List<ReferenceTransaction> referenceTransactions(String slot, int rows) {
        List<ReferenceTransaction> txs = new ArrayList<>();
        try (dev.pgoutput.api.LogicalReplicationReader reader = dev.pgoutput.api.LogicalReplicationReader.builder()
                .host(server.host()).port(server.port()).database(name).user(server.user())
                .password(server.password()).publication(publication).slot(slot).build()) {
            int seen = 0;
            var cursor = reader.transactions().iterator();
            while (seen < rows) {
                dev.pgoutput.api.Transaction tx = cursor.next();
                List<Integer> ids = new ArrayList<>();
                tx.events().forEachRemaining(e -> {
                    if (e.after() != null) {
                        ids.add(((Number) e.after().get("id")).intValue());
                    }
                });
                seen += ids.size();
                txs.add(new ReferenceTransaction(tx.xid(), tx.endLsn(), List.copyOf(ids)));
            }
        }
        return txs;
    }

    /** Drops the slots handed out by {@link #newSlot()}, then the database. */
    @Override
    public void close() throws SQLException {
        try {
            for (String slot : slots) {
                dropSlot(slot);
            }
            server.dropDatabase(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while dropping " + name, e);
        }
    }
}
