package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.TupleData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** After a reconnect the server resends transactions; one reader must deliver each change once. */
class EventAssemblerReconnectTest {

    private final List<String> delivered = new ArrayList<>();
    private final List<Long> commits = new ArrayList<>();
    private final EventAssembler assembler = new EventAssembler(new RelationCache(Map.of(), Set.of()),
            new SourceFactory("test", "test", "db"), new EventSink() {
                @Override
                public void event(ChangeEvent event, int messageBytes) {
                    delivered.add((String) event.after().get("v"));
                }

                @Override
                public void commit(long endLsn) {
                    commits.add(endLsn);
                }
            });

    private void relation() {
        assembler.handle(new Relation(0, 1, "public", "t", 'd', List.of(new Relation.Column(1, "v", 25, -1))), 0);
    }

    private void begin(long finalLsn) {
        assembler.handle(new Begin(finalLsn, 0, 7), finalLsn - 50);
    }

    private void insert(String value, long lsn) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        TupleData tuple = new TupleData(bytes, new byte[] {TupleData.TEXT}, new int[] {0}, new int[] {bytes.length});
        assembler.handle(new Insert(0, 1, tuple), lsn);
    }

    private void commit(long finalLsn) {
        assembler.handle(new Commit(0, finalLsn, finalLsn + 10, 0), finalLsn + 10);
    }

    @Test
    void aResentTransactionIsDeliveredOnceAcrossReconnects() {
        relation();
        begin(100);
        insert("a", 60);
        insert("b", 70);
        assembler.onConnectionLost();

        relation();
        begin(100);
        insert("a", 60);
        insert("b", 70);
        insert("c", 80);
        commit(100);
        assertEquals(List.of("a", "b", "c"), delivered);
        assertEquals(List.of(110L), commits);

        // Lost again after the commit: the whole transaction comes again and is dropped.
        assembler.onConnectionLost();
        relation();
        begin(100);
        insert("a", 60);
        insert("b", 70);
        insert("c", 80);
        commit(100);
        begin(200);
        insert("d", 150);
        commit(200);
        assertEquals(List.of("a", "b", "c", "d"), delivered);
        assertEquals(List.of(110L, 210L), commits);
    }

    @Test
    void aResendCutShortDoesNotForgetHowFarTheFirstAttemptGot() {
        relation();
        begin(300);
        insert("e1", 250);
        insert("e2", 260);
        assembler.onConnectionLost();

        relation();
        begin(300);
        insert("e1", 250);
        assembler.onConnectionLost();

        relation();
        begin(300);
        insert("e1", 250);
        insert("e2", 260);
        insert("e3", 270);
        commit(300);
        assertEquals(List.of("e1", "e2", "e3"), delivered);
        assertEquals(List.of(310L), commits);
    }

    @Test
    void withoutALossNothingIsSkipped() {
        relation();
        begin(100);
        insert("a", 60);
        commit(100);
        begin(200);
        insert("a", 160);
        commit(200);
        assertEquals(List.of("a", "a"), delivered);
    }
}
