package dev.pgoutput.examples;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Transaction;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A replica that applies each source transaction to a second database in one target transaction, exactly
 * once even across crashes: the target stores the commit LSN of the last transaction it applied in the
 * same transaction as the rows (the idempotent-sink pattern). After a restart the slot may send again what
 * was applied but not yet acknowledged; every transaction at or before the stored LSN is skipped, and the
 * slot is acknowledged only after the target committed — so nothing is lost and nothing is applied twice.
 *
 * <p>The replicated table here is {@code ledger (id int PRIMARY KEY, amount int)}: inserts, updates and
 * deletes by key. {@link #main} runs a demonstration on an embedded PostgreSQL; {@link #replicate} is the
 * loop, used by the example's kill test in a child JVM.
 */
public final class TransactionalReplica {

    private TransactionalReplica() {
    }

    /**
     * Runs the demonstration: three source transactions replicated to a second database.
     *
     * @param args optional PostgreSQL major version
     */
    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(args.length > 0
                ? Integer.parseInt(args[0]) : 17).start()) {
            prepare(server.jdbcUrl(), "replica_pub", "replica_slot");
            server.createDatabase("target");
            prepareTarget(server.jdbcUrl("target"));
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO ledger VALUES (1, 10), (2, 20)");
                s.execute("UPDATE ledger SET amount = amount + 5 WHERE id = 1");
                s.execute("DELETE FROM ledger WHERE id = 2");
            }
            Map<String, String> source = Map.of("host", server.host(), "port", Integer.toString(server.port()),
                    "database", server.database(), "user", server.user(), "password", server.password());
            replicate(source, "replica_pub", "replica_slot", server.jdbcUrl("target"), 3, System.out);
        }
    }

    /** The source table, its publication and the slot. */
    static void prepare(String sourceUrl, String publication, String slot) throws SQLException {
        try (Connection c = DriverManager.getConnection(sourceUrl, EmbeddedPostgres.SUPERUSER,
                EmbeddedPostgres.DEFAULT_PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ledger (id int PRIMARY KEY, amount int)");
            s.execute("CREATE PUBLICATION " + publication + " FOR TABLE ledger");
            s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        }
    }

    /** The target's copy of the table, and where it records how far it applied. */
    static void prepareTarget(String targetUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(targetUrl, EmbeddedPostgres.SUPERUSER,
                EmbeddedPostgres.DEFAULT_PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ledger (id int PRIMARY KEY, amount int)");
            s.execute("CREATE TABLE replication_progress (slot text PRIMARY KEY, commit_lsn bigint NOT NULL)");
            // An audit of what was applied: a transaction applied twice would show here twice.
            s.execute("CREATE TABLE applied_transactions (xid bigint, commit_lsn bigint)");
        }
    }

    /**
     * Applies source transactions to the target until {@code count} were applied in this run (0: forever).
     *
     * @param source host, port, database, user and password of the source
     */
    static void replicate(Map<String, String> source, String publication, String slot, String targetUrl, int count,
                          PrintStream out) throws SQLException {
        try (Connection target = DriverManager.getConnection(targetUrl, EmbeddedPostgres.SUPERUSER,
                EmbeddedPostgres.DEFAULT_PASSWORD);
             LogicalReplicationReader reader = LogicalReplicationReader.builder()
                     .host(source.get("host")).port(Integer.parseInt(source.get("port")))
                     .database(source.get("database")).user(source.get("user")).password(source.get("password"))
                     .publication(publication).slot(slot)
                     .autoAcknowledge(false)
                     .build()) {
            target.setAutoCommit(false);
            long applied = appliedLsn(target, slot);
            int done = 0;
            for (Transaction tx : reader.transactions()) {
                if (tx.commitLsn() <= applied) {
                    reader.acknowledge(tx);   // applied before a crash, not yet acknowledged: skip it
                    out.println("skipped " + tx.xid() + " (applied already)");
                    continue;
                }
                apply(target, tx);
                record(target, slot, tx);
                target.commit();              // the rows and the position, together
                applied = tx.commitLsn();
                reader.acknowledge(tx);       // only now may the slot move past it
                out.println("applied " + tx.xid() + " at " + tx.commitLsn());
                out.flush();
                if (++done == count) {
                    return;
                }
            }
        }
    }

    private static long appliedLsn(Connection target, String slot) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT commit_lsn FROM replication_progress WHERE slot = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                long lsn = rs.next() ? rs.getLong(1) : 0;
                target.commit();
                return lsn;
            }
        }
    }

    private static void apply(Connection target, Transaction tx) throws SQLException {
        var events = tx.events();
        while (events.hasNext()) {
            ChangeEvent e = events.next();
            switch (e.op()) {
                case CREATE -> execute(target, "INSERT INTO ledger VALUES (?, ?)", e.after().get("id"),
                        e.after().get("amount"));
                case UPDATE -> execute(target, "UPDATE ledger SET amount = ? WHERE id = ?", e.after().get("amount"),
                        e.after().get("id"));
                case DELETE -> execute(target, "DELETE FROM ledger WHERE id = ?", e.before().get("id"));
                default -> { }
            }
        }
    }

    private static void record(Connection target, String slot, Transaction tx) throws SQLException {
        execute(target, "INSERT INTO replication_progress VALUES (?, ?) ON CONFLICT (slot) DO UPDATE "
                + "SET commit_lsn = excluded.commit_lsn", slot, tx.commitLsn());
        execute(target, "INSERT INTO applied_transactions VALUES (?, ?)", tx.xid(), tx.commitLsn());
    }

    private static void execute(Connection target, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
