package dev.pgoutput.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void contentIsTextOnlyWhenItIsValidUtf8() {
        assertEquals("grüße €", new Message("p", "grüße €".getBytes(java.nio.charset.StandardCharsets.UTF_8), true)
                .contentAsString());
        assertNull(new Message("p", new byte[] {(byte) 0xc3}, true).contentAsString(), "a truncated sequence");
        assertNull(new Message("p", new byte[] {(byte) 0xff, 0}, true).contentAsString());
        assertEquals("", new Message("p", new byte[0], false).contentAsString());
    }

    @Test
    void contentCannotBeChangedFromOutside() {
        byte[] bytes = {1, 2, 3};
        Message m = new Message("p", bytes, false);
        bytes[0] = 9;
        m.content()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, m.content());
    }

    @Test
    void equalityComparesTheBytes() {
        assertEquals(new Message("p", new byte[] {1}, true), new Message("p", new byte[] {1}, true));
        assertEquals(new Message("p", new byte[] {1}, true).hashCode(), new Message("p", new byte[] {1}, true).hashCode());
        assertNotEquals(new Message("p", new byte[] {1}, true), new Message("p", new byte[] {2}, true));
        assertNotEquals(new Message("p", new byte[] {1}, true), new Message("p", new byte[] {1}, false));
        assertTrue(new Message("p", new byte[] {(byte) 0xff}, true).toString().contains("1 bytes"));
    }

    @Test
    void messageEventMapHasTheMessageAndNoRows() {
        Source s = Source.builder().version("v").connector(Source.CONNECTOR).name("n").tsMs(1L).snapshot("false")
                .db("db").lsn(10L).sequence("[]").build();
        Map<String, Object> map = ChangeEvent.builder().op(Op.MESSAGE).source(s).tsNs(5L)
                .message(new Message("outbox", new byte[] {'x'}, false)).build().toMap();
        assertEquals(java.util.List.of("op", "ts_ms", "ts_us", "ts_ns", "source", "message"), java.util.List.copyOf(map.keySet()));
        assertEquals("m", map.get("op"));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) map.get("message");
        assertEquals("outbox", body.get("prefix"));
        assertArrayEquals(new byte[] {'x'}, (byte[]) body.get("content"));
    }
}
