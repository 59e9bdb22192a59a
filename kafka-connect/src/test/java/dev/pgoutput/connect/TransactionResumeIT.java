package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.Transaction;
import dev.pgoutput.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transaction metadata across a restart in the middle of a transaction, from an offset as Debezium 3.6.1 stores it
 * there ({@code transaction_id}, {@code transaction_data_collection_order_<schema.table>}): our connector, stopped,
 * gets that offset through Connect's offsets API (as it would on a takeover from Debezium, or from its own earlier
 * run) and, resumed, writes the rest of the transaction with the counts going on, no second BEGIN, and an END that
 * counts the whole transaction. The transaction's LSNs come from a reference slot over the same WAL; the expected
 * counts from the workload (five rows of one table, two of another, interleaved; stopped after the third change).
 */
class TransactionResumeIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    @Test
    void countsGoOnFromTheStoredOffset() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "txresume")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY)", "CREATE TABLE other (id int PRIMARY KEY)");
            db.createPublication("public.items, public.other");
            String prefix = TestDatabase.unique("txr");
            String connector = "txresume-" + prefix;
            String slot = db.newSlot();
            String reference = db.newSlot();
            db.execute("SELECT pg_create_logical_replication_slot('" + reference + "', 'pgoutput')");
            Map<String, String> config = PgOutputConnectorIT.ourConfig(db, slot, prefix);
            config.put("provide.transaction.metadata", "true");
            config.put("snapshot.mode", "no_data");
            CONNECT.startConnector(connector, config);
            try {
                db.awaitSlot(slot);
                CONNECT.stopConnector(connector);
                db.awaitSlotInactive(slot);
                db.execute("BEGIN; INSERT INTO items VALUES (1); INSERT INTO other VALUES (1); "
                        + "INSERT INTO items VALUES (2); INSERT INTO items VALUES (3); INSERT INTO other VALUES (2); "
                        + "INSERT INTO items VALUES (4); INSERT INTO items VALUES (5); COMMIT");
                Tx tx = transaction(db, reference);
                List<ChangeEvent> changes = tx.events();
                assertEquals(7, changes.size());
                ChangeEvent third = changes.get(2);

                // What Debezium stores with the third change's record (PostgresOffsetContext.getOffset).
                Map<String, Object> offset = new HashMap<>();
                offset.put("lsn_proc", third.source().lsn());
                offset.put("messageType", "INSERT");
                offset.put("lsn", third.source().lsn());
                offset.put("txId", tx.xid());
                offset.put("ts_usec", tx.commitTime().toEpochMilli() * 1000L);
                offset.put("transaction_id", Long.toString(tx.xid()));
                offset.put("transaction_data_collection_order_public.items", 2L);
                offset.put("transaction_data_collection_order_public.other", 1L);
                CONNECT.cluster().alterSourceConnectorOffset(connector, Map.of("server", prefix), offset);
                CONNECT.cluster().resumeConnector(connector);
                CONNECT.cluster().assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "resumed");

                List<CapturedRecord> records = CONNECT.consume(5, prefix + ".public.items", prefix + ".public.other",
                        prefix + ".transaction");
                assertEquals(5, records.size(), "the four changes left and END, no BEGIN: " + records);
                Map<Long, Struct> byTotal = new HashMap<>();
                for (CapturedRecord r : records.subList(0, 4)) {
                    Struct block = r.valueStruct().getStruct("transaction");
                    byTotal.put(block.getInt64("total_order"), block);
                }
                assertEquals(List.of(3L, 2L, 4L, 5L), List.of(byTotal.get(4L).getInt64("data_collection_order"),
                        byTotal.get(5L).getInt64("data_collection_order"),
                        byTotal.get(6L).getInt64("data_collection_order"),
                        byTotal.get(7L).getInt64("data_collection_order")),
                        "items 3, other 2, items 4, items 5 go on from the stored counts: " + records);
                Struct end = records.get(4).valueStruct();
                assertEquals("END", end.getString("status"));
                assertEquals(7L, end.getInt64("event_count"));
                Map<String, Long> perTable = new HashMap<>();
                for (Object o : end.getArray("data_collections")) {
                    perTable.put(((Struct) o).getString("data_collection"), ((Struct) o).getInt64("event_count"));
                }
                assertEquals(Map.of("public.items", 5L, "public.other", 2L), perTable);
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    /** A transaction as the reference slot gave it. */
    private record Tx(long xid, java.time.Instant commitTime, List<ChangeEvent> events) {
    }

    /** The first transaction on the reference slot. */
    private static Tx transaction(TestDatabase db, String slot) {
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(db.server.host()).port(db.server.port()).database(db.name).user(db.server.user())
                .password(db.server.password()).publication(db.publication).slot(slot).build()) {
            Transaction tx = reader.transactions().iterator().next();
            List<ChangeEvent> events = new ArrayList<>();
            tx.events().forEachRemaining(events::add);
            return new Tx(tx.xid(), tx.commitTime(), events);
        }
    }
}
