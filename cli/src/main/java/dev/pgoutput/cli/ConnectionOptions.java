package dev.pgoutput.cli;

import dev.pgoutput.api.LogicalReplicationReader;
import picocli.CommandLine.Option;

/** Where the server is: a URI, or host, port, database, user and password (also from PGPASSWORD). */
final class ConnectionOptions {

    @Option(names = "--uri", paramLabel = "URI",
            description = "postgresql://user:password@host:port/database[?sslmode=…] instead of the options below")
    String uri;

    @Option(names = "--host", defaultValue = "localhost", description = "host (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "5432", description = "port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = {"-d", "--database"}, defaultValue = "postgres", description = "database (default: ${DEFAULT-VALUE})")
    String database;

    @Option(names = {"-U", "--user"}, defaultValue = "postgres", description = "user (default: ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", description = "password (default: the PGPASSWORD environment variable)")
    String password;

    /** A reader builder connected as given. */
    LogicalReplicationReader.Builder builder() {
        LogicalReplicationReader.Builder b = LogicalReplicationReader.builder();
        if (uri != null) {
            b.connectionUri(uri);
        } else {
            b.host(host).port(port).database(database).user(user);
        }
        String secret = password != null ? password : System.getenv("PGPASSWORD");
        if (secret != null && uri == null) {
            b.password(secret);
        }
        return b;
    }
}
