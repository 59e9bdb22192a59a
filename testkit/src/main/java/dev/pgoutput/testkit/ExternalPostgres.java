package dev.pgoutput.testkit;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;

/**
 * A server the test kit did not start, named by a {@code postgresql://user:password@host:port/db}
 * URI, usually from the environment variable {@value #ENVIRONMENT_VARIABLE}. {@link #close()}
 * leaves it running.
 *
 * <p>The server must be configured for the tests by whoever runs it: {@code wal_level=logical},
 * enough replication slots and WAL senders, and a user allowed to replicate.
 *
 * <pre>{@code
 * // PGOUTPUT_TEST_URL=postgresql://postgres:secret@db.local:5432/postgres
 * Optional<ExternalPostgres> external = ExternalPostgres.fromEnvironment();
 * }</pre>
 */
public final class ExternalPostgres implements PostgresServer {

    /** The environment variable that points the tests at an external server. */
    public static final String ENVIRONMENT_VARIABLE = "PGOUTPUT_TEST_URL";

    /** A system property that does the same and wins over the environment variable. */
    public static final String SYSTEM_PROPERTY = "pgoutput.test.url";

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private volatile int serverVersionNum;

    private ExternalPostgres(String host, int port, String database, String user, String password) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /**
     * Returns the server named by the system property {@value #SYSTEM_PROPERTY} or the environment
     * variable {@value #ENVIRONMENT_VARIABLE}, if either is set.
     *
     * @return the external server, or empty to use embedded servers
     * @throws IllegalArgumentException if the value is not a valid URI
     */
    public static Optional<ExternalPostgres> fromEnvironment() {
        String uri = System.getProperty(SYSTEM_PROPERTY);
        if (uri == null || uri.isBlank()) {
            uri = System.getenv(ENVIRONMENT_VARIABLE);
        }
        if (uri == null || uri.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(fromUri(uri.trim()));
    }

    /**
     * Parses a libpq-style URI. The user and password may be percent-encoded; the port defaults to
     * 5432, the user and database to {@code postgres}. Query parameters are not supported.
     *
     * @param uri for example {@code postgresql://postgres:secret@127.0.0.1:5432/postgres}
     * @return the external server
     * @throws IllegalArgumentException if the URI is malformed
     */
    public static ExternalPostgres fromUri(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a URI: " + redact(uri), e);
        }
        String scheme = parsed.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException(
                    "Expected postgresql://user:password@host:port/database, got " + redact(uri));
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("No host in " + redact(uri));
        }
        if (parsed.getRawQuery() != null) {
            throw new IllegalArgumentException("Query parameters are not supported: " + redact(uri));
        }
        String user = "postgres";
        String password = "";
        String userInfo = parsed.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        String path = parsed.getRawPath();
        String database = path == null || path.length() <= 1 ? "postgres" : decode(path.substring(1));
        String host = parsed.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new ExternalPostgres(
                host, parsed.getPort() < 0 ? 5432 : parsed.getPort(), database, user, password);
    }

    private static String decode(String raw) {
        // URLDecoder would turn '+' into a space, which URIs do not do in this part.
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String uri) {
        return uri.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    /**
     * Returns the major version, asking the server on first use.
     *
     * @return the major version
     * @throws IllegalStateException if the server cannot be queried
     */
    @Override
    public int majorVersion() {
        return serverVersionNum() / 10000;
    }

    /**
     * Returns {@code server_version_num}, asking the server on first use.
     *
     * @return for example {@code 170006}
     * @throws IllegalStateException if the server cannot be queried
     */
    @Override
    public int serverVersionNum() {
        int known = serverVersionNum;
        if (known == 0) {
            known = queryServerVersionNum();
            serverVersionNum = known;
        }
        return known;
    }

    private int queryServerVersionNum() {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW server_version_num")) {
            result.next();
            return Integer.parseInt(result.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot ask " + this + " for its version", e);
        }
    }

    /** Does nothing: the server belongs to whoever started it. */
    @Override
    public void close() {}

    @Override
    public boolean equals(Object other) {
        return other instanceof ExternalPostgres that
                && host.equals(that.host)
                && port == that.port
                && database.equals(that.database)
                && user.equals(that.user)
                && password.equals(that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, database, user);
    }

    /** Shows the coordinates without the password. */
    @Override
    public String toString() {
        return "ExternalPostgres[" + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
