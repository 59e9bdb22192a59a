package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helpers around a real server: SQL, fresh names for slots and publications (the servers are
 * shared by every test class of a run), and readers preset for them. {@link #inOwnDatabase} also gives
 * the test a database of its own, so that its tables, types, publications and prepared transactions
 * cannot meet another test's on a shared server, whatever their names.
 */
final class Database {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** Reconnects quickly, for tests that cut the connection on purpose. */
    static final dev.pgoutput.api.ReconnectPolicy FAST_RETRY =
            new dev.pgoutput.api.ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.2, 0);

    /** How long a slot may stay in use after its readers closed, while the walsender exits. */
    private static final Duration SLOT_RELEASE = Duration.ofSeconds(10);

    final PostgresServer server;
    final String database;
    final String slot;
    final String publication;

    private Database(PostgresServer server, String database, String slot, String publication) {
        this.server = server;
        this.database = database;
        this.slot = slot;
        this.publication = publication;
    }

    /** Fresh names in the server's default database; nothing is created yet. */
    static Database on(PostgresServer server, String prefix) {
        String unique = unique(prefix);
        return new Database(server, server.database(), "slot_" + unique, "pub_" + unique);
    }

    /**
     * Creates a database of the test's own, named like the slot, for tests on a shared server; the
     * publication, slot and every connection of this object are in it.
     */
    static Database inOwnDatabase(PostgresServer server, String prefix) throws SQLException {
        String unique = unique(prefix);
        server.createDatabase(unique);
        return new Database(server, unique, "slot_" + unique, "pub_" + unique);
    }

    /** Fresh slot and publication names in this object's database, for a second slot beside this one. */
    Database inSameDatabase(String prefix) {
        String unique = unique(prefix);
        return new Database(server, database, "slot_" + unique, "pub_" + unique);
    }

    private static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    /** Opens a connection to this object's database. */
    Connection connect() throws SQLException {
        return server.connect(database);
    }

    void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Creates the publication for the given tables (or all tables) and the slot. */
    void createPublicationAndSlot(String tables) throws SQLException {
        execute("CREATE PUBLICATION " + publication + (tables == null ? " FOR ALL TABLES" : " FOR TABLE " + tables),
                "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
    }

    /**
     * Drops the slot if it exists, once its walsender has let it go (that takes a moment after a reader
     * closes): on a shared server a slot left behind keeps its WAL and one of the server's slots for the
     * rest of the run.
     */
    void dropSlot() throws SQLException, InterruptedException {
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
                                + " " + SLOT_RELEASE.toSeconds() + " s after its readers closed");
                    }
                }
                Thread.sleep(50);
            }
            s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    /**
     * Rolls back what a test left prepared in this object's database (one of its own: see {@link
     * #inOwnDatabase}), then drops the slot, so that a failed test leaves neither behind: a prepared
     * transaction keeps its locks, and its gid taken in the whole server, until it is resolved.
     */
    void rollBackPreparedAndDropSlot() throws SQLException, InterruptedException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<String> gids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
                while (rs.next()) {
                    gids.add(rs.getString(1));
                }
            }
            for (String gid : gids) {
                s.execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
            }
        }
        dropSlot();
    }

    /**
     * Waits until the server counts at least {@code min} streamed transactions for the slot (its
     * statistics reach the view with a delay).
     */
    void awaitStreamedTransactions(long min) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long seen;
        while ((seen = streamedTransactions()) < min) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server streamed " + seen + " transactions for the slot, expected at least " + min);
            }
            Thread.sleep(100);
        }
    }

    /** How many transactions the server streamed for this slot so far. */
    long streamedTransactions() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT stream_txns FROM pg_stat_replication_slots WHERE slot_name = '"
                     + slot + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Ends the walsender serving the slot, as a lost connection would; fails when none was running. */
    void terminateWalsender() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                     + "WHERE slot_name = '" + slot + "' AND active_pid IS NOT NULL")) {
            if (!(rs.next() && rs.getBoolean(1))) {
                throw new AssertionError("no walsender was running for slot " + slot);
            }
        }
    }

    /** Asserts that the events carry every id once, {@code expectedCount} ids in all. */
    static void assertEachIdOnce(List<ChangeEvent> events, int expectedCount) {
        java.util.Map<Object, Integer> counts = new java.util.HashMap<>();
        for (ChangeEvent e : events) {
            counts.merge(e.after().get("id"), 1, Integer::sum);
        }
        List<Object> duplicated = counts.entrySet().stream().filter(en -> en.getValue() > 1)
                .map(java.util.Map.Entry::getKey).toList();
        if (!duplicated.isEmpty()) {
            throw new AssertionError("delivered more than once: " + duplicated);
        }
        if (counts.size() != expectedCount) {
            throw new AssertionError("expected " + expectedCount + " distinct ids, got " + counts.size());
        }
    }

    LogicalReplicationReader.Builder reader() {
        return LogicalReplicationReader.builder()
                .host(server.host()).port(server.port()).database(database)
                .user(server.user()).password(server.password())
                .publication(publication).slot(slot)
                .decoder("bytebuffer");
    }

    /** Polls until {@code count} events arrived; fails the test if they do not come within 30 s. */
    static List<ChangeEvent> take(LogicalReplicationReader reader, int count) {
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (events.size() < count) {
            ChangeEvent e = reader.poll(Duration.ofMillis(200));
            if (e != null) {
                events.add(e);
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " events, got " + events.size() + ": " + events);
            }
        }
        return events;
    }

    /** Asserts that nothing more arrives within {@code quiet}. */
    static void assertNoMoreEvents(LogicalReplicationReader reader, Duration quiet) {
        ChangeEvent e = reader.poll(quiet);
        if (e != null) {
            throw new AssertionError("expected no more events, got " + e);
        }
    }
}
