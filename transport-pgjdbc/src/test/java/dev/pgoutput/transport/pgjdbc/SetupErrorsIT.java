package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
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
}
