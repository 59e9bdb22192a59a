package dev.pgoutput.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EventBuildersTest {

    @Test
    void sourceBuilderSetsEveryFieldAndStartsAsAStreamedChangeOfThisConnector() {
        Source built = Source.builder().version("1.0").connector("c").name("srv").tsMs(5L).snapshot("true").db("shop")
                .schema("public").table("users").txId(742L).lsn(100L).xmin(3L).sequence("[\"1\",\"100\"]")
                .commitLsn(120L).origin("node_a").gid("g1").build();
        assertEquals(new Source("1.0", "c", "srv", 5L, "true", "shop", "public", "users", 742L, 100L, 3L,
                "[\"1\",\"100\"]", 120L, "node_a", "g1"), built);

        Source defaults = Source.builder().build();
        assertEquals(new Source(null, Source.CONNECTOR, null, 0L, "false", null, null, null, null, 0L, null, null, 0L,
                null, null), defaults);
    }

    @Test
    void changeEventBuilderSetsEveryFieldAndNeedsAnOpAndASource() {
        Source source = Source.builder().db("shop").build();
        Message message = new Message("p", new byte[] {1}, true);
        Truncation truncation = new Truncation(true, false);
        Uncommitted uncommitted = new Uncommitted(7L, 8L, "g");
        Map<String, Object> before = Map.of("id", 1);
        Map<String, Object> after = Map.of("id", 2);
        ChangeEvent built = ChangeEvent.builder().op(Op.UPDATE).before(before).after(after).source(source).tsNs(9L)
                .message(message).truncation(truncation).uncommitted(uncommitted).build();
        assertEquals(new ChangeEvent(Op.UPDATE, before, after, source, 9L, message, truncation, uncommitted), built);

        assertEquals(new ChangeEvent(Op.TRUNCATE, null, null, source, 0L, null, null, null),
                ChangeEvent.builder().op(Op.TRUNCATE).source(source).build());
        NullPointerException noOp = assertThrows(NullPointerException.class,
                () -> ChangeEvent.builder().source(source).build());
        assertTrue(noOp.getMessage().contains("op"), noOp.getMessage());
        NullPointerException noSource = assertThrows(NullPointerException.class,
                () -> ChangeEvent.builder().op(Op.CREATE).build());
        assertTrue(noSource.getMessage().contains("source"), noSource.getMessage());
    }
}
