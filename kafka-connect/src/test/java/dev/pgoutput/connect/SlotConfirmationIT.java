package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgoutput.testkit.PostgresExtension;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In the live cluster, while a workload of interleaved transactions streams: the slot's {@code confirmed_flush_lsn}
 * never runs ahead of the offsets the worker stored. Sampled again and again (the slot's position first, then the
 * stored offset, which only grows), each sample must satisfy: the slot is before the end of the first transaction
 * whose records are not all covered by the stored offset. Transaction ends come from the records themselves (the
 * first element of each record's Debezium sequence is the end of the transaction before it).
 */
class SlotConfirmationIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int ROWS = 600;

    /** A sample: the slot's confirmed position, then the stored offset's lsn_commit and lsn (null before one). */
    private record Sample(long confirmed, Long lsnCommit, Long lsn) {
    }

    /** One streamed transaction: the end of the one before it, and its last change's LSN. */
    private record Tx(long previousEnd, long lastLsn) {
    }

    @Test
    void theSlotNeverRunsAheadOfTheStoredOffsets() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "confirm")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY, v int)");
            db.createPublication("public.items");
            String prefix = TestDatabase.unique("cf");
            String connector = "confirm-" + prefix;
            String slot = db.newSlot();
            Map<String, String> config = PgOutputConnectorIT.ourConfig(db, slot, prefix);
            config.put("snapshot.mode", "no_data");
            // A reference slot over the same WAL: the library's transactions() tells each transaction's end.
            String reference = db.newSlot();
            db.execute("SELECT pg_create_logical_replication_slot('" + reference + "', 'pgoutput')");
            CONNECT.startConnector(connector, config);
            try {
                db.awaitSlot(slot);
                CompletableFuture<Void> workload = CompletableFuture.runAsync(() -> {
                    try {
                        OffsetTakeoverIT.workload(db, 1, ROWS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                List<Sample> samples = new ArrayList<>();
                while (!workload.isDone()) {
                    samples.add(sample(db, connector, slot));
                }
                workload.join();
                List<CapturedRecord> records = CONNECT.consume(ROWS, prefix + ".public.items");
                assertEquals(ROWS, OffsetTakeoverIT.ids(records).stream().distinct().count());
                List<Tx> txs = transactions(db, reference, ROWS);

                int checked = 0;
                for (Sample s : samples) {
                    Long bound = bound(s, txs);
                    if (bound != null) {
                        checked++;
                        assertTrue(s.confirmed() < bound, "the slot at " + s.confirmed() + " passed " + bound
                                + ", the end of a transaction the stored offset " + s + " does not cover");
                    }
                }
                assertTrue(checked > 0, "no sample fell inside the workload: " + samples.size() + " samples");
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    /**
     * The end of the first transaction not wholly covered by the sample's stored offset, or null when the records
     * do not show it (the last transactions).
     */
    private static Long bound(Sample s, List<Tx> txs) {
        if (s.lsn() == null) {
            return txs.size() > 1 ? txs.get(1).previousEnd() : null;
        }
        for (int k = 0; k < txs.size(); k++) {
            if (txs.get(k).previousEnd() == s.lsnCommit()) {
                int firstUncovered = s.lsn() < txs.get(k).lastLsn() ? k : k + 1;
                return firstUncovered + 1 < txs.size() ? txs.get(firstUncovered + 1).previousEnd() : null;
            }
        }
        throw new AssertionError("stored lsn_commit " + s.lsnCommit() + " is no transaction's: " + txs);
    }

    private static Sample sample(TestDatabase db, String connector, String slot) throws Exception {
        long confirmed;
        try (var c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            rs.next();
            confirmed = rs.getLong(1);
        }
        List<ConnectorOffset> offsets = CONNECT.cluster().connectorOffsets(connector).offsets();
        if (offsets.isEmpty()) {
            return new Sample(confirmed, null, null);
        }
        Map<String, ?> o = offsets.get(0).offset();
        // No lsn_commit before the first commit was seen: the first transaction's "previous end" is 0.
        long lsnCommit = o.get("lsn_commit") instanceof Number n ? n.longValue() : 0L;
        return new Sample(confirmed, lsnCommit, ((Number) o.get("lsn")).longValue());
    }

    /** The transactions in delivery order, from each record's sequence {@code ["<previous end>","<lsn>"]}. */
    /**
     * The workload's transactions as a reader on the reference slot sees them: the end of the one before each,
     * and its last change's LSN (the connector's records do not carry the commit positions).
     */
    private static List<Tx> transactions(TestDatabase db, String slot, int rows) {
        List<Tx> txs = new ArrayList<>();
        try (dev.pgoutput.api.LogicalReplicationReader reader = dev.pgoutput.api.LogicalReplicationReader.builder()
                .host(db.server.host()).port(db.server.port()).database(db.name).user(db.server.user())
                .password(db.server.password()).publication(db.publication).slot(slot).build()) {
            long previousEnd = 0;
            int seen = 0;
            var cursor = reader.transactions().iterator();
            while (seen < rows) {
                dev.pgoutput.api.Transaction tx = cursor.next();
                long last = 0;
                var events = tx.events();
                while (events.hasNext()) {
                    last = Math.max(last, events.next().source().lsn());
                    seen++;
                }
                txs.add(new Tx(previousEnd, last));
                previousEnd = tx.endLsn();
            }
        }
        return txs;
    }
}
