package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReplicationConnectionException;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import java.sql.SQLException;

/**
 * Sorts server and driver errors into permanent setup problems (fail at once, with the fix) and
 * connection failures (a reconnect may help), by SQLSTATE.
 */
final class SqlErrors {

    private SqlErrors() {
    }

    static PgOutputException onConnect(SQLException e, String user, String database) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (isTlsConfigurationFailure(e)) {
            return new ReplicationSetupException(Problem.TLS, "TLS to the server failed: " + e.getMessage(),
                    "check sslmode and sslrootcert: the root certificate must have signed the server's certificate, "
                            + "and with sslmode=verify-full the certificate must name the host you connect to", e);
        }
        return switch (state) {
            case "28P01" -> new ReplicationSetupException(Problem.AUTHENTICATION,
                    "password authentication failed for user \"" + user + "\"",
                    // The server gives the same answer for a role that does not exist, on purpose.
                    "check the password, or set one with: ALTER ROLE \"" + user + "\" PASSWORD '...'; if the role "
                            + "does not exist: " + createRole(user), e);
            case "28000" -> refused(e, user, database);
            case "42501" -> privilege(e, user);
            case "3D000" -> new ReplicationSetupException(Problem.DATABASE_MISSING,
                    "database \"" + database + "\" does not exist", "CREATE DATABASE \"" + database + "\";", e);
            default -> new ReplicationConnectionException("cannot connect for replication: " + e.getMessage(),
                    true, e);
        };
    }

    /**
     * SQLSTATE 28000: the role does not exist (servers that trust the client say so), or pg_hba.conf has no line
     * that lets this client in. The fix for the second names the address the server saw, never a network wide
     * open.
     */
    private static PgOutputException refused(SQLException e, String user, String database) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("role \"") && message.contains("does not exist")) {
            return new ReplicationSetupException(Problem.AUTHENTICATION,
                    "role \"" + user + "\" does not exist on the server", createRole(user), e);
        }
        java.util.regex.Matcher host = java.util.regex.Pattern.compile("host \"([^\"]+)\"").matcher(message);
        String address = host.find() ? host.group(1) : "<client address>";
        String mask = address.contains(":") ? "/128" : "/32";
        return new ReplicationSetupException(Problem.AUTHENTICATION,
                "the server refused the connection for user \"" + user + "\": " + message,
                "let this client in with a line in pg_hba.conf above any line that rejects it, for example: host "
                        + database + " " + user + " " + address + mask
                        + " scram-sha-256 (logical replication matches the database name, not 'replication'), "
                        + "then SELECT pg_reload_conf();", e);
    }

    private static String createRole(String user) {
        return "CREATE ROLE \"" + user + "\" LOGIN REPLICATION PASSWORD '...'; (and GRANT SELECT on the published "
                + "tables)";
    }

    /**
     * A certificate that is not trusted or does not match the host, or a server without TLS under an
     * sslmode that requires it: retrying cannot help. A handshake cut by the network can, so a bare
     * {@link javax.net.ssl.SSLException} stays transient.
     */
    private static boolean isTlsConfigurationFailure(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("does not support SSL") || message.contains("could not be verified")) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    static PgOutputException privilege(SQLException e, String user) {
        return new ReplicationSetupException(Problem.PRIVILEGE,
                "user \"" + user + "\" may not stream changes: " + e.getMessage(),
                "ALTER ROLE \"" + user + "\" WITH REPLICATION;", e);
    }

    /** Errors from START_REPLICATION and from the running stream. */
    static PgOutputException onStream(SQLException e, String slot, String user) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (state.equals("42501")) {
            return privilege(e, user);
        }
        if (state.equals("42704") && message.contains("publication")) {
            return new ReplicationSetupException(Problem.PUBLICATION_MISSING, message,
                    "CREATE PUBLICATION <name> FOR ALL TABLES; (or FOR TABLE ...)", e);
        }
        if (state.equals("42704")) {
            return new ReplicationSetupException(Problem.SLOT_MISSING, message,
                    "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput');", e);
        }
        if (state.equals("55000") && message.contains("wal_level")) {
            return new ReplicationSetupException(Problem.WAL_LEVEL, message,
                    "ALTER SYSTEM SET wal_level = logical; then restart the server", e);
        }
        if (state.equals("55006")) {
            return new ReplicationConnectionException("slot \"" + slot + "\" is in use by another connection: "
                    + message, true, e);
        }
        return new ReplicationConnectionException("replication stream failed: " + message, true, e);
    }
}
