package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server with wal_level = replica cannot serve logical replication; the reader says so. */
class WalLevelIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17).withSetting("wal_level", "replica").isolated();

    @Test
    void walLevelReplicaIsRefusedWithTheFix(PostgresServer server) throws Exception {
        Database db = Database.on(server, "wal");
        db.execute("CREATE PUBLICATION " + db.publication + " FOR ALL TABLES");
        ReplicationSetupException e = assertThrows(ReplicationSetupException.class, () -> db.reader().build().close());
        assertEquals(Problem.WAL_LEVEL, e.problem());
        assertTrue(e.getMessage().contains("wal_level = replica"), e.getMessage());
        assertTrue(e.remedy().contains("ALTER SYSTEM SET wal_level = logical"), e.remedy());
    }
}
