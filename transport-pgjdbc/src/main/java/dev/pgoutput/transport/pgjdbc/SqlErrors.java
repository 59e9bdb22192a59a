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
                    "check the password, or set one with: ALTER ROLE \"" + user + "\" PASSWORD '...';", e);
            case "28000" -> new ReplicationSetupException(Problem.AUTHENTICATION,
                    "the server refused the connection for user \"" + user + "\": " + e.getMessage(),
                    "allow replication connections in pg_hba.conf, for example: host " + database + " " + user
                            + " 0.0.0.0/0 scram-sha-256 (and the same line with 'replication' as database "
                            + "on servers before PostgreSQL 10), then SELECT pg_reload_conf();", e);
            case "42501" -> privilege(e, user);
            case "3D000" -> new ReplicationSetupException(Problem.DATABASE_MISSING,
                    "database \"" + database + "\" does not exist", "CREATE DATABASE \"" + database + "\";", e);
            default -> new ReplicationConnectionException("cannot connect for replication: " + e.getMessage(),
                    true, e);
        };
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
