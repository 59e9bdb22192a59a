package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReplicationSetupException;
import dev.pgoutput.api.ReplicationSetupException.Problem;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Options a server is too old for fail at connect, as a {@link Problem#SERVER_VERSION} setup problem that
 * names the option and the minimum version, on PostgreSQL 13 (protocol 1 only).
 */
class OptionVersionsIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(13);

    @Test
    void messagesNeedPostgres14(PostgresServer server) throws Exception {
        assertRefused(server, "msgold", b -> b.messages(true), "messages(true) needs PostgreSQL 14");
    }

    @Test
    void binaryNeedsPostgres14(PostgresServer server) throws Exception {
        assertRefused(server, "binold", b -> b.binary(true), "binary(true) needs PostgreSQL 14");
    }

    @Test
    void originNeedsPostgres16(PostgresServer server) throws Exception {
        assertRefused(server, "originold", b -> b.origin("none"), "origin(\"none\") needs PostgreSQL 16");
    }

    @Test
    void streamingNeedsPostgres14(PostgresServer server) throws Exception {
        assertRefused(server, "streamold", b -> b.streaming(true), "streaming(true) needs PostgreSQL 14");
    }

    @Test
    void parallelStreamingNeedsPostgres16(PostgresServer server) throws Exception {
        assertRefused(server, "parallelold", b -> b.parallelStreaming(true), "parallelStreaming(true) needs PostgreSQL 16");
    }

    @Test
    void twoPhaseNeedsPostgres15(PostgresServer server) throws Exception {
        assertRefused(server, "twophaseold", b -> b.twoPhase(true), "twoPhase(true) needs PostgreSQL 15");
    }

    private static void assertRefused(PostgresServer server, String name,
                                      UnaryOperator<LogicalReplicationReader.Builder> option, String expected)
            throws Exception {
        Database db = Database.on(server, name);
        db.execute("CREATE TABLE " + db.slot + " (id int PRIMARY KEY)");
        db.createPublicationAndSlot(db.slot);
        try {
            ReplicationSetupException e = assertThrows(ReplicationSetupException.class,
                    () -> option.apply(db.reader()).build().close());
            assertEquals(Problem.SERVER_VERSION, e.problem());
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        } finally {
            db.dropSlot();
        }
    }
}
