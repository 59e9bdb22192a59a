package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.spi.SlotRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** CREATE_REPLICATION_SLOT in the syntax each server version reads. */
class SlotCommandsTest {

    private static SlotRequest request(boolean temporary, boolean export, boolean twoPhase, boolean failover) {
        return new SlotRequest("s1", temporary, export, twoPhase, failover, Duration.ofSeconds(5));
    }

    @Test
    void beforePostgres15TheOldKeywords() {
        assertEquals("CREATE_REPLICATION_SLOT s1 LOGICAL pgoutput NOEXPORT_SNAPSHOT",
                SlotCommands.createCommand(request(false, false, false, false), 140010));
        assertEquals("CREATE_REPLICATION_SLOT s1 TEMPORARY LOGICAL pgoutput EXPORT_SNAPSHOT",
                SlotCommands.createCommand(request(true, true, false, false), 120020));
    }

    @Test
    void fromPostgres15TheOptionList() {
        assertEquals("CREATE_REPLICATION_SLOT s1 LOGICAL pgoutput (SNAPSHOT 'nothing')",
                SlotCommands.createCommand(request(false, false, false, false), 150000));
        assertEquals("CREATE_REPLICATION_SLOT s1 LOGICAL pgoutput (SNAPSHOT 'export', TWO_PHASE true, FAILOVER true)",
                SlotCommands.createCommand(request(false, true, true, true), 170002));
    }

    @Test
    void optionsTheServerLacksAreRefusedByVersion() {
        ReplicationSetupException twoPhase = assertThrows(ReplicationSetupException.class,
                () -> SlotCommands.createCommand(request(false, false, true, false), 140000));
        assertTrue(twoPhase.getMessage().contains("PostgreSQL 15"), twoPhase.getMessage());
        ReplicationSetupException failover = assertThrows(ReplicationSetupException.class,
                () -> SlotCommands.createCommand(request(false, false, false, true), 160004));
        assertTrue(failover.getMessage().contains("PostgreSQL 17"), failover.getMessage());
    }
}
