package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import dev.pgoutput.testkit.EmbeddedPostgres;
import dev.pgoutput.testkit.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS settings pass through to pgjdbc: with {@code sslmode=verify-full} and the server's certificate as
 * {@code sslrootcert} the replication connection is encrypted (the server's {@code pg_stat_ssl} says so);
 * a certificate the root does not vouch for fails at once as a {@link Problem#TLS} setup problem instead
 * of being retried. The certificates are made with the JDK's keytool for each run.
 */
class TlsIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17).isolated();

    private static Path directory;
    private static TestCertificate serverCertificate;
    private static TestCertificate strangerCertificate;

    @BeforeAll
    static void enableTls(EmbeddedPostgres server) throws Exception {
        directory = Files.createTempDirectory("pgoutput-tls");
        serverCertificate = TestCertificate.selfSigned(directory, "server", EmbeddedPostgres.HOST);
        strangerCertificate = TestCertificate.selfSigned(directory, "stranger", EmbeddedPostgres.HOST);
        server.writeDataFile("server.crt", serverCertificate.certificatePem());
        server.writeDataFile("server.key", serverCertificate.privateKeyPem());
        server.restart(Map.of("ssl", "on"));
    }

    @AfterAll
    static void removeFiles() throws Exception {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    @Test
    void verifyFullStreamsOverAnEncryptedConnection(EmbeddedPostgres server) throws Exception {
        Database db = Database.on(server, "tls");
        db.execute("CREATE TABLE tls (id int PRIMARY KEY)");
        db.createPublicationAndSlot("tls");
        try (LogicalReplicationReader reader = db.reader()
                .property("sslmode", "verify-full")
                .property("sslrootcert", serverCertificate.certificateFile().toString())
                .build()) {
            db.execute("INSERT INTO tls VALUES (1)");
            List<ChangeEvent> events = Database.take(reader, 1);
            assertEquals(1, events.get(0).after().get("id"));
            try (Connection c = server.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT s.ssl FROM pg_stat_ssl s JOIN pg_replication_slots r "
                         + "ON r.active_pid = s.pid WHERE r.slot_name = '" + db.slot + "'")) {
                assertTrue(rs.next(), "the slot's walsender is listed");
                assertTrue(rs.getBoolean(1), "the replication connection uses TLS");
            }
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void untrustedCertificateIsAPermanentTlsProblem(EmbeddedPostgres server) throws Exception {
        Database db = Database.on(server, "tls_untrusted");
        db.execute("CREATE TABLE tls_untrusted (id int PRIMARY KEY)");
        db.createPublicationAndSlot("tls_untrusted");
        try {
            long start = System.nanoTime();
            ReplicationSetupException e = assertThrows(ReplicationSetupException.class, () -> db.reader()
                    .property("sslmode", "verify-full")
                    .property("sslrootcert", strangerCertificate.certificateFile().toString())
                    .build().close());
            assertEquals(Problem.TLS, e.problem(), e.getMessage());
            assertTrue(e.getMessage().contains("sslrootcert"), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "failed at once, no retries");
        } finally {
            db.dropSlot();
        }
    }
}
