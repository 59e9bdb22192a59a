package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.connect.record.TransactionRecords;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Transaction metadata across a restart, from offsets as Debezium 3.6.1 stores them ({@code TransactionContext}:
 * {@code transaction_id} the xid as text, {@code transaction_data_collection_order_<schema.table>} per table): the
 * counts go on where the stored offset left them, no second BEGIN is due, and an END's offset (message type COMMIT)
 * leaves nothing open. The expected numbers follow Debezium's rules by hand.
 */
class TransactionRecordsTest {

    private static final Map<String, String> PARTITION = Map.of("server", "p");

    /** An envelope with the optional {@code transaction} block, as the table records have. */
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("p.public.comp.Envelope")
            .field("op", Schema.STRING_SCHEMA)
            .field("transaction", SchemaBuilder.struct().optional().name("event.block").version(1)
                    .field("id", Schema.STRING_SCHEMA).field("total_order", Schema.INT64_SCHEMA)
                    .field("data_collection_order", Schema.INT64_SCHEMA).build())
            .build();

    private static Map<String, Object> debeziumOffset(String messageType) {
        Map<String, Object> offset = new HashMap<>();
        offset.put("lsn", 500L);
        offset.put("lsn_proc", 500L);
        offset.put("messageType", messageType);
        offset.put("txId", 771L);
        offset.put("transaction_id", "771");
        offset.put("transaction_data_collection_order_public.comp", 2L);
        // Connect's JsonConverter reads small numbers back as Integer.
        offset.put("transaction_data_collection_order_public.nokey", 1);
        return offset;
    }

    private static SourceRecord change(String op) {
        return new SourceRecord(PARTITION, Map.of(), "p.public.comp", null, Schema.STRING_SCHEMA, "k", ENVELOPE,
                new Struct(ENVELOPE).put("op", op));
    }

    @Test
    void aRestoredTransactionGoesOnCounting() {
        TransactionRecords tx = new TransactionRecords("p.transaction");
        tx.restore(debeziumOffset("INSERT"));
        assertTrue(tx.isOpen(771), "the stored transaction is open: no second BEGIN");

        Map<String, Object> offset = new LinkedHashMap<>(Map.of("lsn", 600L));
        SourceRecord record = tx.changes(List.of(change("c")), "public.comp", 600L, offset).get(0);
        Struct block = ((Struct) record.value()).getStruct("transaction");
        assertEquals("771:600", block.getString("id"));
        assertEquals(4L, block.getInt64("total_order"), "2 + 1 stored, then this one");
        assertEquals(3L, block.getInt64("data_collection_order"));
        assertEquals(3L, record.sourceOffset().get("transaction_data_collection_order_public.comp"));
        assertEquals(1L, record.sourceOffset().get("transaction_data_collection_order_public.nokey"));
        assertEquals("771", record.sourceOffset().get("transaction_id"));

        SourceRecord end = tx.end(700L, 1234L, PARTITION, new LinkedHashMap<>(Map.of("lsn", 700L)));
        Struct value = (Struct) end.value();
        assertEquals("END", value.getString("status"));
        assertEquals("771:700", value.getString("id"));
        assertEquals(4L, value.getInt64("event_count"));
        Map<String, Long> perTable = new HashMap<>();
        for (Object o : value.getArray("data_collections")) {
            Struct s = (Struct) o;
            perTable.put(s.getString("data_collection"), s.getInt64("event_count"));
        }
        assertEquals(Map.of("public.comp", 3L, "public.nokey", 1L), perTable);
        assertEquals("771", end.sourceOffset().get("transaction_id"), "END's offset still names the transaction");
        assertFalse(tx.isOpen(), "closed after END");
    }

    @Test
    void anEndOffsetLeavesNoTransactionOpen() {
        TransactionRecords tx = new TransactionRecords("p.transaction");
        tx.restore(debeziumOffset("COMMIT"));
        assertFalse(tx.isOpen());
    }

    @Test
    void aKeyChangeCountsItsDeleteAndCreateNotTheTombstone() {
        TransactionRecords tx = new TransactionRecords("p.transaction");
        tx.begin(9, 100L, 1L, PARTITION, new LinkedHashMap<>(Map.of("lsn", 100L)));
        SourceRecord tombstone = new SourceRecord(PARTITION, Map.of(), "p.public.comp", null, Schema.STRING_SCHEMA,
                "k", null, null);
        List<SourceRecord> out = tx.changes(List.of(change("d"), tombstone, change("c")), "public.comp", 100L,
                new LinkedHashMap<>(Map.of("lsn", 100L)));
        assertEquals(1L, ((Struct) out.get(0).value()).getStruct("transaction").getInt64("total_order"));
        assertNull(out.get(1).value());
        assertEquals(out.get(0).sourceOffset(), out.get(1).sourceOffset(), "the tombstone has its delete's offset");
        assertEquals(2L, ((Struct) out.get(2).value()).getStruct("transaction").getInt64("data_collection_order"));
    }
}
