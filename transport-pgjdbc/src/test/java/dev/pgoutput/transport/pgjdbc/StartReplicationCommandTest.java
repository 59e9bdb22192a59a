package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.spi.StreamRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The START_REPLICATION command we send: names quoted as identifiers, values as literals. */
class StartReplicationCommandTest {

    private static StreamRequest request(String slot, long startLsn, Map<String, String> options) {
        return new StreamRequest(slot, startLsn, options, Duration.ofSeconds(10), Duration.ofSeconds(60), () -> 0L);
    }

    @Test
    void optionsKeepTheirOrderAndAreQuoted() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("proto_version", "4");
        options.put("publication_names", "\"orders\",\"Audit Log\"");
        assertEquals("START_REPLICATION SLOT \"cdc\" LOGICAL 0/0 (\"proto_version\" '4', "
                        + "\"publication_names\" '\"orders\",\"Audit Log\"')",
                PgjdbcReplicationConnection.startReplicationCommand(request("cdc", 0L, options)));
    }

    @Test
    void startPositionIsWrittenAsAnLsn() {
        assertEquals("START_REPLICATION SLOT \"s\" LOGICAL 1/2A",
                PgjdbcReplicationConnection.startReplicationCommand(request("s", 0x1_0000_002AL, Map.of())));
    }

    @Test
    void quotesInNamesAndValuesCannotEndTheirToken() {
        // The builder refuses such names already; the command must be safe on its own as well.
        Map<String, String> options = new LinkedHashMap<>();
        options.put("x\" 'y", "it's'); DROP TABLE t; --");
        assertEquals("START_REPLICATION SLOT \"a\"\"b\" LOGICAL 0/0 (\"x\"\" 'y\" 'it''s''); DROP TABLE t; --')",
                PgjdbcReplicationConnection.startReplicationCommand(request("a\"b", 0L, options)));
    }
}
