package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import dev.pgoutput.api.SlotInfo;
import dev.pgoutput.spi.CreatedSlot;
import dev.pgoutput.spi.SlotRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The replication protocol's slot commands on a {@code replication=database} connection:
 * {@code CREATE_REPLICATION_SLOT} and {@code DROP_REPLICATION_SLOT}.
 *
 * <p><b>Why a timeout and a list of transactions.</b> Creating a logical slot waits until every
 * transaction that was running when it started has ended (the slot's snapshot must see none of them half
 * done), and a forgotten {@code idle in transaction} session makes it wait for hours with nothing in the
 * log. So the command runs with a statement timeout; when it expires the server cancels it (the slot it
 * was building is removed) and the error names the sessions whose transactions it was waiting for.
 */
final class SlotCommands {

    /** Error code of a statement cancelled on request (the timeout). */
    private static final String QUERY_CANCELED = "57014";
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String UNDEFINED_OBJECT = "42704";
    private static final String OBJECT_IN_USE = "55006";

    private final Connection connection;
    private final int serverVersionNum;
    private final String user;

    SlotCommands(Connection connection, int serverVersionNum, String user) {
        this.connection = connection;
        this.serverVersionNum = serverVersionNum;
        this.user = user;
    }

    CreatedSlot create(SlotRequest request) {
        String command = createCommand(request, serverVersionNum);
        try (Statement st = connection.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, request.timeout().toSeconds())));
            try (ResultSet rs = st.executeQuery(command)) {
                rs.next();
                long consistentPoint = LogSequenceNumber.valueOf(rs.getString("consistent_point")).asLong();
                return new CreatedSlot(rs.getString("slot_name"), consistentPoint, rs.getString("snapshot_name"));
            }
        } catch (SQLException e) {
            throw createFailed(request, e);
        }
    }

    /** The command for the server's version; the option list exists from PostgreSQL 15. */
    static String createCommand(SlotRequest request, int serverVersionNum) {
        if (request.twoPhase() && serverVersionNum < 150000) {
            throw tooOld("a two-phase slot", 15, serverVersionNum);
        }
        if (request.failover() && serverVersionNum < 170000) {
            throw tooOld("a failover slot", 17, serverVersionNum);
        }
        StringBuilder sql = new StringBuilder("CREATE_REPLICATION_SLOT ").append(request.name())
                .append(request.temporary() ? " TEMPORARY" : "").append(" LOGICAL pgoutput");
        if (serverVersionNum < 150000) {
            return sql.append(request.exportSnapshot() ? " EXPORT_SNAPSHOT" : " NOEXPORT_SNAPSHOT").toString();
        }
        sql.append(" (SNAPSHOT '").append(request.exportSnapshot() ? "export" : "nothing").append('\'');
        if (request.twoPhase()) {
            sql.append(", TWO_PHASE true");
        }
        if (request.failover()) {
            sql.append(", FAILOVER true");
        }
        return sql.append(')').toString();
    }

    void drop(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Statement st = connection.createStatement()) {
                st.execute("DROP_REPLICATION_SLOT " + name);
                return;
            } catch (SQLException e) {
                String state = String.valueOf(e.getSQLState());
                if (state.equals(UNDEFINED_OBJECT)) {
                    throw new ReplicationSetupException(Problem.SLOT_MISSING,
                            "replication slot \"" + name + "\" does not exist", null, e);
                }
                if (!state.equals(OBJECT_IN_USE) || System.nanoTime() >= deadline) {
                    throw new ReplicationSetupException(Problem.SLOT_CREATION, "cannot drop replication slot \""
                            + name + "\": " + e.getMessage(), "stop the reader that uses it, then drop it again", e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplicationConnectionException("interrupted while dropping slot \"" + name + "\"", false, e);
            }
        }
    }

    /** The logical slots, by name; columns a server lacks (two_phase before 14, failover before 17) read false. */
    List<SlotInfo> list() {
        String sql = "SELECT slot_name, plugin, database, active, coalesce(active_pid, 0), confirmed_flush_lsn, "
                + "coalesce(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() "
                + "ELSE pg_current_wal_lsn() END, restart_lsn), 0)::bigint, temporary, "
                + (serverVersionNum >= 140000 ? "two_phase" : "false") + ", "
                + (serverVersionNum >= 170000 ? "failover" : "false")
                + " FROM pg_replication_slots WHERE slot_type = 'logical' ORDER BY slot_name";
        List<SlotInfo> slots = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String confirmed = rs.getString(6);
                long confirmedLsn = confirmed == null ? 0 : LogSequenceNumber.valueOf(confirmed).asLong();
                boolean failover = rs.getBoolean(10);
                slots.add(new SlotInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getInt(5),
                        confirmedLsn, rs.getLong(7), rs.getBoolean(8), rs.getBoolean(9), failover,
                        failover && confirmedLsn != 0));
            }
        } catch (SQLException e) {
            throw SqlErrors.onStream(e, "", user);
        }
        return slots;
    }

    private RuntimeException createFailed(SlotRequest request, SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.equals(DUPLICATE_OBJECT)) {
            return new ReplicationSetupException(Problem.SLOT_CREATION,
                    "replication slot \"" + request.name() + "\" already exists", "use it, or drop it first", e);
        }
        if (state.equals(QUERY_CANCELED)) {
            List<String> blockers = runningTransactions();
            return new ReplicationSetupException(Problem.SLOT_CREATION,
                    "creating replication slot \"" + request.name() + "\" waited " + request.timeout().toSeconds()
                            + " s for the transactions running when it started, and was cancelled (no slot was "
                            + "left behind); still running: " + (blockers.isEmpty() ? "none any more" : String.join("; ", blockers)),
                    "end those transactions (COMMIT or ROLLBACK them, or SELECT pg_terminate_backend(pid)), or "
                            + "allow more time, then try again", e);
        }
        return SqlErrors.onStream(e, request.name(), user);
    }

    /** The sessions with a transaction that holds an xid, oldest first: what slot creation waits for. */
    private List<String> runningTransactions() {
        List<String> found = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid, usename, application_name, state, xact_start, "
                     + "left(regexp_replace(query, '\\s+', ' ', 'g'), 120) FROM pg_stat_activity "
                     + "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 5")) {
            while (rs.next()) {
                found.add("pid " + rs.getInt(1) + " (user " + rs.getString(2) + ", application '" + rs.getString(3)
                        + "', " + rs.getString(4) + ", transaction started " + rs.getString(5) + ", last query: "
                        + rs.getString(6) + ")");
            }
        } catch (SQLException e) {
            found.add("(could not read pg_stat_activity: " + e.getMessage() + ")");
        }
        return found;
    }

    private static ReplicationSetupException tooOld(String what, int major, int serverVersionNum) {
        return new ReplicationSetupException(Problem.SERVER_VERSION, what + " needs PostgreSQL " + major
                + " or newer, but the server is " + serverVersionNum / 10000 + "." + serverVersionNum % 10000,
                "create the slot without that option, or upgrade the server", null);
    }
}
