package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Op;
import dev.pgoutput.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logical decoding messages ({@code messages(true)}, PostgreSQL 14+): transactional ones arrive as
 * {@code op "m"} events in their transaction's order and only when it commits; non-transactional ones
 * arrive as soon as they are written, even from a transaction that is still open and later rolls back.
 */
class MessagesIT {

    @RegisterExtension
    static final PostgresExtension PG = SharedServers.defaults();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, 15, 16, 17, 18})
    void messagesKeepTheirPlace(int major) throws Exception {
        Database db = Database.inOwnDatabase(PG.server(major), "msg" + major);
        db.execute("CREATE TABLE orders (id int PRIMARY KEY, total numeric(8,2))",
                "CREATE TABLE unpublished (id serial PRIMARY KEY)");
        db.createPublicationAndSlot("orders");
        try (LogicalReplicationReader reader = db.reader().messages(true).build();
             Connection open = db.connect();
             Statement st = open.createStatement()) {
            // Rows and transactional messages interleaved in one transaction.
            db.execute("BEGIN",
                    "INSERT INTO orders VALUES (1, 10.00)",
                    "SELECT pg_logical_emit_message(true, 'outbox', '{\"order\":1}')",
                    "INSERT INTO orders VALUES (2, 20.00)",
                    "SELECT pg_logical_emit_message(true, 'outbox', '\\xff00'::bytea)",
                    "COMMIT");
            List<ChangeEvent> tx = Database.take(reader, 4);
            assertEquals(List.of(Op.CREATE, Op.MESSAGE, Op.CREATE, Op.MESSAGE), tx.stream().map(ChangeEvent::op).toList());
            ChangeEvent first = tx.get(1);
            assertEquals("outbox", first.message().prefix());
            assertEquals("{\"order\":1}", first.message().contentAsString());
            assertTrue(first.message().transactional());
            assertEquals(tx.get(0).source().txId(), first.source().txId(), "the message carries its transaction");
            assertEquals(tx.get(0).source().commitLsn(), first.source().commitLsn());
            assertNull(first.tableName());
            assertNull(first.before());
            assertNull(first.after());
            byte[] raw = tx.get(3).message().content();
            assertEquals(2, raw.length);
            assertEquals((byte) 0xff, raw[0]);
            assertNull(tx.get(3).message().contentAsString(), "not valid UTF-8");

            // A non-transactional message from a transaction that is still open arrives at once...
            open.setAutoCommit(false);
            st.execute("INSERT INTO orders VALUES (3, 30.00)");
            st.execute("SELECT pg_logical_emit_message(true, 'outbox', 'rolled back')");
            st.execute("SELECT pg_logical_emit_message(false, 'audit', 'attempt 3')");
            // The server sends it once its WAL is flushed: any commit elsewhere does that (PostgreSQL
            // 17+ can also ask for it, pg_logical_emit_message(..., flush => true)). Without one it
            // came 14 s later here, when the WAL writer got to it.
            db.execute("INSERT INTO unpublished DEFAULT VALUES");
            ChangeEvent audit = reader.poll(Duration.ofSeconds(30));
            assertNotNull(audit, "the non-transactional message arrived while its transaction was open");
            assertEquals(Op.MESSAGE, audit.op());
            assertEquals("audit", audit.message().prefix());
            assertEquals("attempt 3", new String(audit.message().content(), StandardCharsets.UTF_8));
            assertFalse(audit.message().transactional());
            assertNull(audit.source().txId());
            // ...and the rollback takes the row and the transactional message with it.
            open.rollback();
            db.execute("INSERT INTO orders VALUES (4, 40.00)");
            ChangeEvent next = Database.take(reader, 1).get(0);
            assertEquals(Op.CREATE, next.op());
            assertEquals(4, next.after().get("id"));
            Database.assertNoMoreEvents(reader, Duration.ofMillis(500));
        } finally {
            db.dropSlot();
        }
    }
}
