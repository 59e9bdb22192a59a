package dev.pgoutput.decoder.bytebuffer;

import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.testing.PgOutputBytes;
import dev.pgoutput.testing.Samples;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Truncated, oversized, unknown and malformed input may only ever raise {@link DecodeException}. */
class MalformedInputTest {

    private static final long LSN = 0xABCD_0000_1234L;
    private static final String KNOWN_TYPES = "BCORYIUDTMSEcAbPKrp";

    private final ByteBufferDecoder decoder = new ByteBufferDecoder();

    static Stream<Samples.Sample> samples() {
        return Samples.all().stream();
    }

    /** A decoder that decodes {@code sample} the way it must be: inside a streamed block or not. */
    static PgOutputDecoder decoderFor(Samples.Sample sample) {
        ByteBufferDecoder inner = new ByteBufferDecoder();
        return (message, lsn, inStreamBlock) -> inner.decode(message, lsn, sample.streamed() || inStreamBlock);
    }

    private DecodeException fails(byte[] bytes) {
        return assertThrows(DecodeException.class, () -> decoder.decode(ByteBuffer.wrap(bytes), LSN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyTruncationFailsCleanlyAndLeavesTheDecoderUsable(Samples.Sample sample) {
        PgOutputDecoder d = decoderFor(sample);
        PgOutputMessage whole = d.decode(ByteBuffer.wrap(sample.bytes()), LSN);
        for (int cut = 0; cut < sample.bytes().length; cut++) {
            byte[] prefix = Arrays.copyOf(sample.bytes(), cut);
            if (sample.name().equals("Stream Abort v4") && cut == 9) {
                assertEquals(new StreamAbort(500, 500, 0, 0), d.decode(ByteBuffer.wrap(prefix), LSN),
                        "without its tail a v4 abort is a valid v2 abort");
                continue;
            }
            int at = cut;
            DecodeException e = assertThrows(DecodeException.class, () -> d.decode(ByteBuffer.wrap(prefix), LSN),
                    () -> sample + " cut at " + at);
            assertEquals(LSN, e.lsn());
            assertEquals(cut == 0 ? -1 : sample.bytes()[0] & 0xFF, e.messageType());
            assertTrue(e.offset() >= 0 && e.offset() <= cut, () -> sample + " cut at " + at + ": offset " + e.offset());
            assertEquals(whole, d.decode(ByteBuffer.wrap(sample.bytes()), LSN), "usable after " + e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void trailingBytesAreAnError(Samples.Sample sample) {
        byte[] longer = Arrays.copyOf(sample.bytes(), sample.bytes().length + 1);
        PgOutputDecoder d = decoderFor(sample);
        DecodeException e = assertThrows(DecodeException.class, () -> d.decode(ByteBuffer.wrap(longer), LSN));
        if (!sample.name().equals("Stream Abort v4")) {
            assertEquals(sample.bytes().length, e.offset(), e.getMessage());
        }
        assertTrue(e.getMessage().contains(sample.name().startsWith("Stream Abort") ? "after subxid" : "trailing"),
                e.getMessage());
    }

    @Test
    void emptyMessage() {
        DecodeException e = fails(new byte[0]);
        assertEquals(-1, e.messageType());
        assertEquals(0, e.offset());
        assertEquals(LSN, e.lsn());
    }

    @Test
    void everyUnknownTypeByte() {
        for (int type = 0; type < 256; type++) {
            if (KNOWN_TYPES.indexOf(type) >= 0) {
                continue;
            }
            byte[] bytes = new byte[17];
            bytes[0] = (byte) type;
            DecodeException e = fails(bytes);
            assertEquals(type, e.messageType());
            assertEquals(0, e.offset());
            assertTrue(e.getMessage().contains("unknown message type"), e.getMessage());
        }
    }

    @Test
    void hugeTupleValueLengthIsRejectedBeforeAllocation() {
        byte[] bytes = PgOutputBytes.insert(1).int16(1).int8('t').int32(Integer.MAX_VALUE).raw((byte) 'x').bytes();
        DecodeException e = fails(bytes);
        assertEquals(9, e.offset(), "points at the length field");
    }

    @Test
    void negativeTupleValueLength() {
        assertEquals(9, fails(PgOutputBytes.insert(1).int16(1).int8('b').int32(-1).bytes()).offset());
        assertEquals(9, fails(PgOutputBytes.insert(1).int16(1).int8('t').int32(Integer.MIN_VALUE).bytes()).offset());
    }

    @Test
    void tupleColumnCountBeyondTheMessage() {
        DecodeException e = fails(PgOutputBytes.insert(1).int16(0xFFFF).int8('n').int8('n').bytes());
        assertEquals(6, e.offset());
    }

    @Test
    void relationColumnCountBeyondTheMessage() {
        byte[] bytes = PgOutputBytes.relation(1, "s", "t", 'd', 0xFFFF).column(0, "a", 23, -1).bytes();
        assertEquals(1 + 4 + 2 + 2 + 1, fails(bytes).offset());
    }

    @Test
    void hugeTruncateRelationCount() {
        assertEquals(1, fails(PgOutputBytes.message('T').int32(Integer.MAX_VALUE).int8(0).int32(1).bytes()).offset());
        assertEquals(1, fails(PgOutputBytes.message('T').int32(-1).int8(0).int32(1).bytes()).offset());
        assertEquals(1, fails(PgOutputBytes.message('T').int32(2).int8(0).int32(1).bytes()).offset());
    }

    @Test
    void hugeLogicalMessageLength() {
        byte[] bytes = PgOutputBytes.message('M').int8(1).int64(1).string("p").int32(Integer.MAX_VALUE).bytes();
        assertEquals(1 + 1 + 8 + 2, fails(bytes).offset());
        byte[] negative = PgOutputBytes.message('M').int8(1).int64(1).string("p").int32(-7).raw(new byte[8]).bytes();
        assertTrue(fails(negative).getMessage().contains("negative"));
    }

    @Test
    void unknownTupleKind() {
        DecodeException e = fails(PgOutputBytes.insert(1).int16(2).int8('n').int8('x').bytes());
        assertEquals(9, e.offset());
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        assertEquals(8, fails(PgOutputBytes.insert(1).int16(1).int8(0).bytes()).offset());
    }

    @Test
    void unknownTupleMarkers() {
        assertEquals(5, fails(PgOutputBytes.message('I').int32(1).int8('K').tuple(t("1")).bytes()).offset());
        assertEquals(5, fails(PgOutputBytes.update(1).int8('X').tuple(t("1")).bytes()).offset());
        assertEquals(5, fails(PgOutputBytes.delete(1).int8('N').tuple(t("1")).bytes()).offset());
        // K and O are never both sent; after an old tuple only 'N' may follow.
        byte[] keyThenRow = PgOutputBytes.update(1).oldKey(n()).oldRow(n()).newTuple(n()).bytes();
        assertEquals(9, fails(keyThenRow).offset());
    }

    @Test
    void missingNulTerminator() {
        DecodeException e = fails(PgOutputBytes.message('O').int64(1).raw("origin".getBytes()).bytes());
        assertEquals(9, e.offset());
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void namesMustBeValidUtf8() {
        byte[][] invalid = {
            {(byte) 0xC3, 0x28},                      // bad continuation byte
            {(byte) 0xC0, (byte) 0xAF},               // overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},  // UTF-16 surrogate
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
            {(byte) 0xE2, (byte) 0x82},               // cut short before the NUL
        };
        for (byte[] name : invalid) {
            byte[] bytes = PgOutputBytes.message('Y').int32(1).string("s").raw(name).int8(0).bytes();
            DecodeException e = fails(bytes);
            assertEquals(7, e.offset());
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
    }

    @Test
    void streamAbortTailMustBeComplete() {
        for (int extra = 1; extra < 16; extra++) {
            byte[] bytes = PgOutputBytes.message('A').int32(1).int32(1).raw(new byte[extra]).bytes();
            assertEquals(9, fails(bytes).offset());
        }
        assertEquals(9, fails(PgOutputBytes.message('A').int32(1).int32(1).raw(new byte[17]).bytes()).offset());
    }
}
