package dev.pgoutput.testing;

import static dev.pgoutput.testing.PgOutputBytes.b;
import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static dev.pgoutput.testing.PgOutputBytes.u;

import java.util.List;

/**
 * One valid message of every type (and of every variant that changes the layout), written by hand with
 * {@link PgOutputBytes}, for negative tests and duels: cut, extend or mutate each and see what a decoder
 * makes of it.
 *
 * <pre>{@code
 * for (Samples.Sample s : Samples.all()) {
 *     decoder.decode(ByteBuffer.wrap(Arrays.copyOf(s.bytes(), 3)), lsn, s.streamed());  // must fail cleanly
 * }
 * }</pre>
 */
public final class Samples {

    /**
     * A sample message.
     *
     * @param name     what it is, for test names
     * @param streamed whether it must be decoded inside a Stream Start … Stream Stop block
     * @param encoded  the whole message, with the places of its counts and lengths
     */
    public record Sample(String name, boolean streamed, EncodedMessage encoded) {

        /** The whole message; callers that change it work on a copy. */
        public byte[] bytes() {
            return encoded.bytes();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The Stream Start that opens the block a streamed sample is decoded in (xid 500, as in the samples). */
    public static byte[] streamStart() {
        return PgOutputBytes.message('S').int32(500).int8(1).bytes();
    }

    private Samples() {
    }

    /** Every sample, plain ones first. */
    public static List<Sample> all() {
        return List.of(
                plain("Begin", PgOutputBytes.begin(0x16B3748L, 123456789L, 500)),
                plain("Commit", PgOutputBytes.commit(0, 0x16B3748L, 0x16B3790L, 123456789L)),
                plain("Origin", PgOutputBytes.message('O').int64(0x1000L).string("node_ä")),
                plain("Relation", PgOutputBytes.relation(16384, "public", "tåble", 'd', 2)
                        .column(1, "id", 23, -1).column(0, "näme", 25, -1)),
                plain("Relation, no columns", PgOutputBytes.relation(16384, "", "e", 'n', 0)),
                plain("Type", PgOutputBytes.message('Y').int32(90001).string("public").string("mood")),
                plain("Insert", PgOutputBytes.insert(16384).tuple(t("1"), n(), u(), b(0, 0, 0, 7))),
                plain("Insert, no columns", PgOutputBytes.insert(16384).tuple()),
                plain("Update", PgOutputBytes.update(16384).newTuple(t("1"), t("x"))),
                plain("Update K", PgOutputBytes.update(16384).oldKey(t("1"), n()).newTuple(t("2"), u())),
                plain("Update O", PgOutputBytes.update(16384).oldRow(t("1"), t("y")).newTuple(t("1"), t("z"))),
                plain("Delete K", PgOutputBytes.delete(16384).oldKey(t("1"), n())),
                plain("Delete O", PgOutputBytes.delete(16384).oldRow(t("1"), b(1, 2))),
                plain("Truncate", PgOutputBytes.message('T').count32(2).int8(3).int32(16384).int32(16390)),
                plain("Message", PgOutputBytes.message('M').int8(1).int64(0x2000L).string("pfx").count32(3)
                        .raw((byte) 1, (byte) 2, (byte) 3)),
                plain("Stream Start", PgOutputBytes.message('S').int32(500).int8(1)),
                plain("Stream Stop", PgOutputBytes.message('E')),
                plain("Stream Commit", PgOutputBytes.message('c').int32(500).int8(0).int64(1).int64(2).int64(3)),
                plain("Stream Abort v2", PgOutputBytes.message('A').int32(500).int32(501)),
                plain("Stream Abort v4", PgOutputBytes.message('A').int32(500).int32(500).int64(9).int64(10)),
                plain("Begin Prepare", PgOutputBytes.message('b').int64(1).int64(2).int64(3).int32(500).string("g1")),
                plain("Prepare", PgOutputBytes.message('P').int8(0).int64(1).int64(2).int64(3).int32(500)
                        .string("g1")),
                plain("Commit Prepared", PgOutputBytes.message('K').int8(0).int64(1).int64(2).int64(3).int32(500)
                        .string("g1")),
                plain("Rollback Prepared", PgOutputBytes.message('r').int8(0).int64(1).int64(2).int64(3).int64(4)
                        .int32(500).string("g1")),
                plain("Stream Prepare", PgOutputBytes.message('p').int8(0).int64(1).int64(2).int64(3).int32(500)
                        .string("g1")),
                streamed("streamed Relation", PgOutputBytes.message('R').int32(500).int32(16384).string("s")
                        .string("t").int8('f').count16(1).column(1, "id", 23, -1)),
                streamed("streamed Type", PgOutputBytes.message('Y').int32(500).int32(90001).string("s")
                        .string("mood")),
                streamed("streamed Insert", PgOutputBytes.message('I').int32(500).int32(16384).int8('N')
                        .tuple(t("1"), b(9))),
                streamed("streamed Update", PgOutputBytes.message('U').int32(500).int32(16384)
                        .oldKey(t("1")).newTuple(t("2"))),
                streamed("streamed Delete", PgOutputBytes.message('D').int32(500).int32(16384).oldRow(t("1"))),
                streamed("streamed Truncate", PgOutputBytes.message('T').int32(500).count32(1).int8(0)
                        .int32(16384)),
                streamed("streamed Message", PgOutputBytes.message('M').int32(500).int8(0).int64(5).string("p")
                        .count32(0)),
                streamed("streamed Stream Stop", PgOutputBytes.message('E')));
    }

    private static Sample plain(String name, PgOutputBytes bytes) {
        return new Sample(name, false, bytes.encoded());
    }

    private static Sample streamed(String name, PgOutputBytes bytes) {
        return new Sample(name, true, bytes.encoded());
    }
}
