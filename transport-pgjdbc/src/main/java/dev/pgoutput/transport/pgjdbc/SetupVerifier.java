package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks, before streaming, what would otherwise fail later with a less helpful message: the WAL
 * level, the slot (exists, logical, pgoutput, this database, not held by another connection) and the
 * publications. Each setup failure shows the SQL that fixes it; a slot in use is a transient failure that
 * names the process holding it.
 */
final class SetupVerifier {

    private final Connection connection;
    private final String database;

    SetupVerifier(Connection connection, String database) {
        this.connection = connection;
        this.database = database;
    }

    void verify(String slot, List<String> publications) throws SQLException {
        verifyWalLevel();
        // Publications before the slot: a reader that creates a missing slot must know that nothing else
        // stands in the way before it creates one.
        verifyPublications(publications);
        verifySlot(slot);
    }

    private void verifyWalLevel() throws SQLException {
        String level = PgjdbcReplicationConnection.queryOne(connection, "SHOW wal_level");
        if (!"logical".equals(level)) {
            throw new ReplicationSetupException(Problem.WAL_LEVEL,
                    "logical replication needs wal_level = logical, but the server has wal_level = " + level,
                    "ALTER SYSTEM SET wal_level = logical; then restart the server", null);
        }
    }

    private void verifySlot(String slot) throws SQLException {
        String create = "SELECT pg_create_logical_replication_slot(" + literal(slot) + ", 'pgoutput');";
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT plugin, slot_type, database, coalesce(active_pid, 0) "
                     + "FROM pg_replication_slots WHERE slot_name = " + literal(slot))) {
            if (!rs.next()) {
                throw new ReplicationSetupException(Problem.SLOT_MISSING,
                        "replication slot \"" + slot + "\" does not exist", create, null);
            }
            String plugin = rs.getString(1);
            String type = rs.getString(2);
            String slotDatabase = rs.getString(3);
            if (!"logical".equals(type)) {
                throw new ReplicationSetupException(Problem.SLOT_WRONG_DATABASE,
                        "replication slot \"" + slot + "\" is a " + type + " slot, not a logical one",
                        "use another slot name, or SELECT pg_drop_replication_slot(" + literal(slot) + "); " + create,
                        null);
            }
            if (!"pgoutput".equals(plugin)) {
                throw new ReplicationSetupException(Problem.SLOT_WRONG_PLUGIN,
                        "replication slot \"" + slot + "\" uses the plugin " + plugin + ", not pgoutput",
                        "SELECT pg_drop_replication_slot(" + literal(slot) + "); " + create, null);
            }
            if (!database.equals(slotDatabase)) {
                throw new ReplicationSetupException(Problem.SLOT_WRONG_DATABASE,
                        "replication slot \"" + slot + "\" belongs to database \"" + slotDatabase
                                + "\", not \"" + database + "\"",
                        "connect to \"" + slotDatabase + "\", or create a slot in \"" + database + "\": " + create, null);
            }
            int activePid = rs.getInt(4);
            if (activePid != 0) {
                throw new ReplicationConnectionException("replication slot \"" + slot + "\" is in use by "
                        + SlotHolder.describe(connection, activePid), true, null);
            }
        }
    }

    private void verifyPublications(List<String> publications) throws SQLException {
        Set<String> found = new HashSet<>();
        StringBuilder in = new StringBuilder();
        for (String p : publications) {
            in.append(in.length() == 0 ? "" : ", ").append(literal(p));
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT pubname FROM pg_publication WHERE pubname IN (" + in + ")")) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String p : publications) {
            if (!found.contains(p)) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder fix = new StringBuilder();
            for (String p : missing) {
                fix.append("CREATE PUBLICATION ").append(identifier(p)).append(" FOR ALL TABLES; ");
            }
            throw new ReplicationSetupException(Problem.PUBLICATION_MISSING,
                    "publication" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                            + (missing.size() > 1 ? " do" : " does") + " not exist in database \"" + database + "\"",
                    fix.toString().trim() + " (or FOR TABLE schema.table, ... to publish only some tables)", null);
        }
    }

    /** A SQL string literal; standard_conforming_strings is on in every supported server. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String identifier(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
