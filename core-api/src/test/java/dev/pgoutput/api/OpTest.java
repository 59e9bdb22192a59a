package dev.pgoutput.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgoutput.protocol.Lsn;
import org.junit.jupiter.api.Test;

class OpTest {

    @Test
    void codesAndDescriptionsAreDebeziums() {
        assertEquals("c", Op.CREATE.code());
        assertEquals("INSERT", Op.CREATE.description());
        assertEquals(Op.TRUNCATE, Op.fromCode("t"));
        assertEquals(Op.MESSAGE, Op.fromCode("m"));
        assertThrows(IllegalArgumentException.class, () -> Op.fromCode("x"));
    }

    @Test
    void lsnTextRoundTrips() {
        assertEquals(0x16_B374_D848L, Lsn.parse("16/B374D848"));
        assertEquals("16/B374D848", Lsn.format(0x16_B374_D848L));
        assertEquals("0/0", Lsn.format(0));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("16B374D848"));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("x/1"));
    }
}
