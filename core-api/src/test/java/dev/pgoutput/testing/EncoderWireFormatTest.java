package dev.pgoutput.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Update;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the encoder to the wire format written out by hand from the protocol tables. Without this, an
 * encoder mistake mirrored by a decoder mistake would round-trip happily.
 */
class EncoderWireFormatTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void beginIsTypeFinalLsnTimestampXid() {
        assertEncodes("42" + "0000000001000000" + "00000000000f4240" + "000001f4",
                new PgOutputEncoder(), new Begin(0x1000000L, 1_000_000L, 500));
    }

    @Test
    void relationHasNulTerminatedNamesAndAnUnsignedColumnCount() {
        Relation r = new Relation(0, 16384, "", "t", 'd',
                List.of(new Relation.Column(1, "id", 23, -1)));
        assertEncodes("52" + "00004000" + "00" + "7400" + "64" + "0001" + "01" + "696400" + "00000017" + "ffffffff",
                new PgOutputEncoder(), r);
    }

    @Test
    void tupleKindsAndXidOnlyInsideAStreamBlock() {
        TupleData t = new TupleBuilder(new SplittableRandom(1), 4).nullValue().unchangedToast()
                .value(TupleData.TEXT, new byte[] {'4', '2'}).value(TupleData.BINARY, new byte[] {7}).build();
        String body = "00004000" + "4e" + "0004" + "6e" + "75" + "74" + "00000002" + "3432" + "62" + "00000001" + "07";
        PgOutputEncoder encoder = new PgOutputEncoder();
        assertEncodes("49" + body, encoder, new Insert(0, 16384, t));
        assertEncodes("53" + "000002bc" + "01", encoder, new StreamStart(700, true));
        assertEncodes("49" + "000002bc" + body, encoder, new Insert(700, 16384, t));
        assertEncodes("45", encoder, new StreamStop());
        assertEncodes("49" + body, encoder, new Insert(0, 16384, t));
    }

    @Test
    void updateWithoutOldTupleHasOnlyTheNewMarker() {
        TupleData t = new TupleBuilder(new SplittableRandom(2), 1).nullValue().build();
        assertEncodes("55" + "00004000" + "4e" + "0001" + "6e", new PgOutputEncoder(),
                new Update(0, 16384, (char) 0, null, t));
        assertEncodes("55" + "00004000" + "4b" + "0001" + "6e" + "4e" + "0001" + "6e", new PgOutputEncoder(),
                new Update(0, 16384, 'K', t, t));
    }

    @Test
    void truncateCountComesBeforeOptions() {
        assertEncodes("54" + "00000002" + "03" + "00004000" + "00004001", new PgOutputEncoder(),
                new Truncate(0, 3, List.of(16384, 16385)));
    }

    @Test
    void messageFlagsLsnPrefixLengthContent() {
        assertEncodes("4d" + "01" + "0000000000000010" + "7000" + "00000002" + "0102", new PgOutputEncoder(),
                new LogicalMessage(0, true, 16, "p", new byte[] {1, 2}));
    }

    @Test
    void streamAbortTailOnlyWhenPresent() {
        assertEncodes("41" + "00000001" + "00000002", new PgOutputEncoder(), new StreamAbort(1, 2, 0, 0));
        assertEncodes("41" + "00000001" + "00000001" + "0000000000000003" + "0000000000000004",
                new PgOutputEncoder(), new StreamAbort(1, 1, 3, 4));
    }

    private static void assertEncodes(String hex, PgOutputEncoder encoder, dev.pgoutput.protocol.PgOutputMessage m) {
        assertEquals(hex, HEX.formatHex(encoder.encode(m).bytes()), m.toString());
    }
}
