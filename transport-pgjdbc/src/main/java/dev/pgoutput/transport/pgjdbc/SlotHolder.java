package dev.pgoutput.transport.pgjdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Who holds a slot: the walsender's PID with its client's address, application name and start, from
 * {@code pg_stat_activity}, so that "in use" says which process to look at (a previous instance still running,
 * or one the server has not noticed is gone). A role without {@code pg_read_all_stats} sees no details of other
 * roles' sessions; the text then says so.
 */
final class SlotHolder {

    private SlotHolder() {
    }

    static String describe(Connection connection, int pid) {
        // A replication connection speaks the simple query protocol only: no prepared statements.
        String sql = "SELECT host(client_addr), client_port, application_name, usename, backend_start "
                + "FROM pg_stat_activity WHERE pid = " + pid;
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery(sql)) {
                if (!rs.next()) {
                    return "walsender PID " + pid + " (which has just ended)";
                }
                String address = rs.getString(1);
                if (address == null && rs.getString(4) == null) {
                    return "walsender PID " + pid + " (its client is hidden from this role: GRANT pg_read_all_stats "
                            + "to see it)";
                }
                String client = address == null ? "a local socket" : address + ":" + rs.getInt(2);
                return "walsender PID " + pid + " for " + client + " (application_name '" + rs.getString(3)
                        + "', user " + rs.getString(4) + ", connected " + rs.getTimestamp(5).toInstant() + ")";
            }
        } catch (SQLException e) {
            return "walsender PID " + pid;
        }
    }
}
