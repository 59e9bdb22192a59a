package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.spi.PublishedTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Debezium's snapshot markers when several workers deliver ranges of several tables interleaved. */
class SnapshotDeliveryTest {

    private final AcknowledgementTracker tracker = new AcknowledgementTracker(true);
    private final DeliveryQueue queue = new DeliveryQueue(64, 1L << 20, "test_slot");
    private final SnapshotDelivery delivery = new SnapshotDelivery(new SourceFactory("test", "test", "db"), queue,
            tracker, new DeliveryQueue.Waiting() {
                @Override
                public boolean stopping() {
                    return false;
                }

                @Override
                public void keepAlive() {
                }
            }, new SnapshotProgress());
    private final RelationCache relations = new RelationCache(Map.of(), Set.of());

    private InitialSnapshot.Range range(String table) {
        List<Relation.Column> columns = List.of(new Relation.Column(1, "v", 25, -1));
        PublishedTable published = new PublishedTable(table.hashCode(), "public", table, 'd', false, columns, null, 10, 100);
        RelationInfo info = relations.describe(new Relation(0, published.relationId(), "public", table, 'd', columns));
        return new InitialSnapshot.Range(info, published, -1, -1);
    }

    private static TupleData row(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new TupleData(bytes, new byte[] {TupleData.TEXT}, new int[] {0}, new int[] {bytes.length});
    }

    @Test
    void firstAndLastOfTheSnapshotAndOfEachTable() throws Exception {
        InitialSnapshot.Range a1 = range("a");
        InitialSnapshot.Range a2 = new InitialSnapshot.Range(a1.table(), a1.published(), 5, -1);
        InitialSnapshot.Range b = range("b");
        delivery.begin(List.of(a1, a2, b), 700, 1234);
        SnapshotDelivery.Worker wa1 = delivery.worker(a1);
        SnapshotDelivery.Worker wa2 = delivery.worker(a2);
        SnapshotDelivery.Worker wb = delivery.worker(b);
        wa1.row(row("a1"));
        wb.row(row("b1"));
        wa1.row(row("a2"));     // a1 goes out: the first row of the snapshot
        wb.row(row("b2"));       // b1 goes out: the first of b
        wa1.rangeDone();            // a2: a's other range is still running
        wa2.row(row("a3"));
        wa2.rangeDone();            // a3: the last of a
        wb.rangeDone();             // b2: the last of all
        List<String> seen = new ArrayList<>();
        DeliveryQueue.Item item;
        while ((item = queue.poll(1_000_000)) != null) {
            ChangeEvent e = ((DeliveryQueue.EventItem) item).event();
            seen.add(e.after().get("v") + " " + e.source().snapshot());
            assertEquals(1234, e.source().lsn());
            assertEquals(700L, e.source().txId());
        }
        assertEquals(List.of("a1 first", "b1 first_in_data_collection", "a2 true", "a3 last_in_data_collection",
                "b2 last"), seen);
        assertEquals(5, delivery.rows());
        assertEquals(5, delivery.lastItem(), "numbered in queue order");
    }

    @Test
    void emptyRangesFinishingLastStillLeaveATableLastAndASnapshotLast() throws Exception {
        InitialSnapshot.Range a1 = range("a");
        InitialSnapshot.Range a2 = new InitialSnapshot.Range(a1.table(), a1.published(), 5, -1);
        InitialSnapshot.Range z = range("z");
        delivery.begin(List.of(a1, a2, z), 700, 1234);
        SnapshotDelivery.Worker wa1 = delivery.worker(a1);
        wa1.row(row("a1"));
        wa1.row(row("a2"));
        wa1.rangeDone();                     // a's other range may still bring rows
        delivery.worker(a2).rangeDone();     // it brings none: a2 is a's last
        delivery.worker(z).rangeDone();      // an empty table ends the snapshot: a2 is the last of all
        List<String> seen = new ArrayList<>();
        DeliveryQueue.Item item;
        while ((item = queue.poll(1_000_000)) != null) {
            ChangeEvent e = ((DeliveryQueue.EventItem) item).event();
            seen.add(e.after().get("v") + " " + e.source().snapshot());
        }
        assertEquals(List.of("a1 first", "a2 last"), seen);
        assertEquals(2L, delivery.copiedTables().peek().getKey(), "a is on record once its last row is");
    }
}
