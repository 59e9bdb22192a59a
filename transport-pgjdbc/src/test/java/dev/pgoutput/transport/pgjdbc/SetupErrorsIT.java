package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each setup mistake fails in build() with its own clear message and the SQL that fixes it. */
class SetupErrorsIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    private static ReplicationSetupException failure(org.junit.jupiter.api.function.Executable build) {
        return assertThrows(ReplicationSetupException.class, build);
    }

    @Test
    void missingSlot(PostgresServer server) throws Exception {
        Database db = Database.on(server, "noslot");
        db.execute("CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        ReplicationSetupException e = failure(() -> db.reader().build().close());
        assertEquals(Problem.SLOT_MISSING, e.problem());
        assertTrue(e.getMessage().contains("\"" + db.slot + "\" does not exist"), e.getMessage());
        assertEquals("SELECT pg_create_logical_replication_slot('" + db.slot + "', 'pgoutput');", e.remedy());
    }

    @Test
    void missingPublication(PostgresServer server) throws Exception {
        Database db = Database.on(server, "nopub");
        db.execute("SELECT pg_create_logical_replication_slot('" + db.slot + "', 'pgoutput')");
        try {
            ReplicationSetupException e = failure(() -> db.reader().build().close());
            assertEquals(Problem.PUBLICATION_MISSING, e.problem());
            assertTrue(e.remedy().contains("CREATE PUBLICATION \"" + db.publication + "\""), e.remedy());
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void slotOfAnotherPlugin(PostgresServer server) throws Exception {
        Database db = Database.on(server, "plugin");
        db.execute("CREATE PUBLICATION " + db.publication + " FOR ALL TABLES",
                "SELECT pg_create_logical_replication_slot('" + db.slot + "', 'test_decoding')");
        try {
            ReplicationSetupException e = failure(() -> db.reader().build().close());
            assertEquals(Problem.SLOT_WRONG_PLUGIN, e.problem());
            assertTrue(e.getMessage().contains("test_decoding"), e.getMessage());
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void wrongPasswordNeverEchoesThePassword(PostgresServer server) throws Exception {
        Database db = Database.on(server, "auth");
        ReplicationSetupException e = failure(() -> db.reader().password("not-the-password").build().close());
        assertEquals(Problem.AUTHENTICATION, e.problem());
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"));
    }

    /**
     * A role that does not exist, where pg_hba.conf trusts it (a server with password authentication answers as
     * for a wrong password, on purpose), and a client that pg_hba.conf rejects: the fix names the role to create,
     * or a pg_hba.conf line for the address the server saw — never a network open to the world. The lines added
     * name only this test's roles, so the other tests on the shared server are not affected.
     */
    @Test
    void missingRoleAndRejectedClient(PostgresServer server) throws Exception {
        Database db = Database.on(server, "hba");
        Path hba;
        try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SHOW hba_file")) {
            rs.next();
            hba = Path.of(rs.getString(1));
        }
        String original = Files.readString(hba);
        Files.writeString(hba, "host all ghost_role_hba all trust\nhost all rejected_role_hba all reject\n" + original);
        db.execute("SELECT pg_reload_conf()");
        try {
            ReplicationSetupException missing = failure(() -> db.reader().user("ghost_role_hba").build().close());
            assertEquals(Problem.AUTHENTICATION, missing.problem());
            assertTrue(missing.getMessage().contains("role \"ghost_role_hba\" does not exist"), missing.getMessage());
            assertTrue(missing.remedy().startsWith("CREATE ROLE \"ghost_role_hba\" LOGIN REPLICATION"),
                    missing.remedy());

            ReplicationSetupException rejected = failure(() -> db.reader().user("rejected_role_hba").build().close());
            assertEquals(Problem.AUTHENTICATION, rejected.problem());
            assertTrue(rejected.getMessage().contains("pg_hba.conf"), rejected.getMessage());
            assertTrue(rejected.remedy().contains("host " + server.database() + " rejected_role_hba 127.0.0.1/32 "),
                    rejected.remedy());
            assertFalse(rejected.remedy().contains("0.0.0.0"), rejected.remedy());
            assertFalse(rejected.remedy().contains("PostgreSQL 10"), rejected.remedy());
        } finally {
            Files.writeString(hba, original);
            db.execute("SELECT pg_reload_conf()");
        }
    }
}
