package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The confirmation rule on its own, with the hazards of docs/KAFKA-CONNECT.md as sequences of callbacks: Kafka
 * acknowledging out of order across partitions, an offset flush that persisted less than was acknowledged, one
 * source position shared by a delete and its tombstone, transactions interleaved in the WAL; and when a read-back
 * of the stored offset could confirm anything at all.
 */
class AcknowledgementLedgerTest {

    private final AcknowledgementLedger ledger = new AcknowledgementLedger();

    /** Adds an event at {@code lsn} (transaction commit {@code commit}) with {@code count} records. */
    private List<SourceRecord> event(long lsn, long txId, int count) {
        SourcePosition position = new SourcePosition(lsn, lsn, 1L, txId, 0L, "INSERT");
        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new SourceRecord(Map.of("server", "p"), position.toOffset(), "t", Schema.STRING_SCHEMA, "v"));
        }
        ledger.add(lsn, position, records);
        return records;
    }

    private static SourcePosition stored(SourceRecord record) {
        return SourcePosition.fromOffset(record.sourceOffset());
    }

    @Test
    void outOfOrderAcknowledgementsDoNotConfirmPastARecordInFlight() {
        SourceRecord a = event(100, 1, 1).get(0);
        SourceRecord b = event(200, 2, 1).get(0);
        SourceRecord c = event(300, 3, 1).get(0);
        // c's partition answered first; a is still in flight. Even an offset store claiming c (it cannot, Connect
        // stores only an acked prefix) does not confirm past a.
        ledger.acknowledged(c);
        ledger.acknowledged(b);
        ledger.persisted(stored(c));
        assertEquals(OptionalLong.empty(), ledger.takeAcknowledgement());
        ledger.acknowledged(a);
        ledger.persisted(stored(c));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), ledger.takeAcknowledgement(), "all three, nothing after them");
        assertEquals(0, ledger.pending());
    }

    @Test
    void aReadBackIsAwaitedOnlyWhenTheFirstUnconfirmedEventIsDone() {
        assertTrue(!ledger.awaitsPersistence(), "nothing delivered");
        SourceRecord a = event(100, 1, 1).get(0);
        SourceRecord b = event(200, 2, 1).get(0);
        ledger.acknowledged(b);
        assertTrue(!ledger.awaitsPersistence(), "a is in flight: no stored offset could confirm anything");
        ledger.acknowledged(a);
        assertTrue(ledger.awaitsPersistence(), "a and b are acknowledged, their offsets maybe stored");
        ledger.persisted(stored(a));
        assertTrue(ledger.awaitsPersistence(), "b is confirmable once its offset is read back");
        ledger.persisted(stored(b));
        assertTrue(!ledger.awaitsPersistence(), "everything is confirmable");
        event(300, 3, 0);
        assertTrue(ledger.awaitsPersistence(), "an event without records is confirmed by the next read-back");
    }

    @Test
    void confirmationWaitsForTheFlushToPersistTheOffsets() {
        SourceRecord a = event(100, 1, 1).get(0);
        SourceRecord b = event(200, 2, 1).get(0);
        ledger.acknowledged(a);
        ledger.acknowledged(b);
        // The flush's snapshot was taken when only a was acked: b is acknowledged but its offset is not stored.
        ledger.persisted(stored(a));
        assertEquals(OptionalLong.of(199), ledger.takeAcknowledgement(), "a only: below b's LSN");
        assertEquals(1, ledger.pending());
        // Nothing stored yet at all confirms nothing.
        ledger.persisted(null);
        assertEquals(OptionalLong.empty(), ledger.takeAcknowledgement());
        ledger.persisted(stored(b));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), ledger.takeAcknowledgement());
    }

    @Test
    void aDeleteAndItsTombstoneAreConfirmedTogether() {
        List<SourceRecord> delete = event(100, 1, 2);
        ledger.acknowledged(delete.get(0));
        ledger.persisted(stored(delete.get(0)));
        assertEquals(OptionalLong.empty(), ledger.takeAcknowledgement(), "the tombstone is still in flight");
        ledger.acknowledged(delete.get(1));
        ledger.persisted(stored(delete.get(1)));
        assertTrue(ledger.takeAcknowledgement().isPresent());
    }

    @Test
    void eventsWithoutRecordsDoNotPinTheSlot() {
        event(100, 1, 0);
        event(200, 2, 0);
        ledger.persisted(null);
        assertEquals(OptionalLong.of(Long.MAX_VALUE), ledger.takeAcknowledgement());
        SourceRecord a = event(300, 3, 1).get(0);
        event(400, 4, 0);
        ledger.acknowledged(a);
        ledger.persisted(stored(a));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), ledger.takeAcknowledgement(), "the record-less event after a");
    }

    @Test
    void anInterleavedLaterEventWithASmallerLsnIsNotCovered() {
        // Transaction 2 (LSN 200) committed first; transaction 1 began earlier (LSN 150) and is delivered after it.
        SourceRecord first = event(200, 2, 1).get(0);
        event(150, 1, 1);
        ledger.acknowledged(first);
        ledger.persisted(stored(first));
        // acknowledge(200) would cover the event at 150 too; the limit stays below it, so nothing yet.
        assertEquals(OptionalLong.empty(), ledger.takeAcknowledgement());
        assertEquals(2, ledger.pending());
    }

    /** A heartbeat repeating the last event's offset, and another one always coming before the next flush. */
    private SourceRecord heartbeat(SourceRecord after) {
        SourceRecord beat = new SourceRecord(Map.of("server", "p"), after.sourceOffset(), "hb", Schema.STRING_SCHEMA,
                "beat");
        ledger.add(AcknowledgementLedger.NO_CHANGE, stored(after), List.of(beat));
        return beat;
    }

    @Test
    void heartbeatsNeverHoldTheEventTheyRepeatBack() {
        SourceRecord a = event(100, 1, 1).get(0);
        ledger.acknowledged(a);
        SourceRecord first = heartbeat(a);
        ledger.acknowledged(first);
        heartbeat(a);   // in flight when the flush comes: idle tables see one per interval, flushes are rarer
        ledger.persisted(stored(a));
        OptionalLong confirm = ledger.takeAcknowledgement();
        assertTrue(confirm.isPresent() && confirm.getAsLong() >= 100, "the event is confirmed: " + confirm);
        assertEquals(1, ledger.pending(), "only the heartbeat in flight is left");
    }

    @Test
    void aHeartbeatInFlightStillHoldsTheEventsAfterIt() {
        SourceRecord a = event(100, 1, 1).get(0);
        ledger.acknowledged(a);
        heartbeat(a);   // never acknowledged
        SourceRecord b = event(200, 2, 1).get(0);
        ledger.acknowledged(b);
        ledger.persisted(stored(b));
        assertEquals(OptionalLong.of(199), ledger.takeAcknowledgement(), "a, not b: the heartbeat before b is owed");
    }
}
