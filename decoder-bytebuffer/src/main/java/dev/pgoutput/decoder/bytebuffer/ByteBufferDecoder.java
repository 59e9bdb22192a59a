package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.spi.PgOutputDecoder;
import java.nio.ByteBuffer;

/**
 * Decodes pgoutput messages (protocol versions 1 to 4) from {@link ByteBuffer}s.
 *
 * <pre>{@code
 * PgOutputDecoder decoder = new ByteBufferDecoderProvider().create();
 * PgOutputMessage m = decoder.decode(payload, xlogDataStartLsn);
 * if (m instanceof Insert insert) {
 *     String firstColumn = insert.newTuple().text(0);
 * }
 * }</pre>
 *
 * <p><b>Buffers.</b> A heap buffer with an accessible array is not copied: tuple values are windows into
 * its backing array. A direct or read-only buffer is copied once into a fresh array of exactly the
 * message's size. The buffer's position, limit and byte order are never changed or consulted beyond
 * {@code position..limit}.
 *
 * <p><b>Streamed blocks.</b> Relation, Type, Insert, Update, Delete, Truncate and Message carry an Int32
 * xid only between a Stream Start and the next Stream Stop. The decoder keeps no state of its own: the
 * caller, who follows the flow of messages, says whether a block is open ({@code inStreamBlock}).
 *
 * <p><b>Errors.</b> Input that is empty, truncated, malformed or of an unknown type fails with a
 * {@link DecodeException} naming the LSN, the type byte and the offset; nothing else is thrown for any
 * input, and the decoder stays usable. The rules are strict so that every decoder of this project agrees
 * on what is an error:
 * <ul>
 *   <li>bytes left over after a complete message are an error;</li>
 *   <li>names (schema, table, column, type, origin, message prefix, gid) must be well-formed UTF-8 with a
 *       NUL terminator inside the message; tuple values are not checked here, they are only decoded when
 *       read;</li>
 *   <li>lengths and counts are checked against the remaining bytes before anything is allocated, and
 *       negative lengths are errors; Int16 counts are unsigned, as in the server's own reader;</li>
 *   <li>a Stream Abort has either nothing or exactly 16 bytes (abort_lsn, abort_ts) after the subxid;</li>
 *   <li>flag bytes and the replica identity byte are passed through unchecked.</li>
 * </ul>
 *
 * <p>Not thread-safe: use one decoder per replication stream.
 */
public final class ByteBufferDecoder implements PgOutputDecoder {

    private final ArrayCursor cursor = new ArrayCursor();

    /** Creates a decoder. */
    public ByteBufferDecoder() {
    }

    @Override
    public PgOutputMessage decode(ByteBuffer message, long lsn, boolean inStreamBlock) {
        int length = message.remaining();
        if (length == 0) {
            throw new DecodeException(lsn, -1, 0, "empty message");
        }
        ArrayCursor c = cursor;
        if (message.hasArray()) {
            int start = message.arrayOffset() + message.position();
            c.reset(message.array(), start, start + length, lsn);
        } else {
            // Direct or read-only: the tuple model needs an array, and the bytes must outlive the buffer.
            byte[] copy = new byte[length];
            message.get(message.position(), copy);
            c.reset(copy, 0, length, lsn);
        }
        int type = c.readType();
        PgOutputMessage decoded = switch (type) {
            case 'I' -> DataChangeMessages.insert(c, streamXid(c, inStreamBlock));
            case 'U' -> DataChangeMessages.update(c, streamXid(c, inStreamBlock));
            case 'D' -> DataChangeMessages.delete(c, streamXid(c, inStreamBlock));
            case 'B' -> TransactionMessages.begin(c);
            case 'C' -> TransactionMessages.commit(c);
            default -> decodeRare(c, type, inStreamBlock);
        };
        c.requireEnd();
        return decoded;
    }

    /** Messages seen at most a few times per transaction, kept out of the hot method so it stays small. */
    private static PgOutputMessage decodeRare(ArrayCursor c, int type, boolean inStreamBlock) {
        switch (type) {
            case 'R':
                return SchemaMessages.relation(c, streamXid(c, inStreamBlock));
            case 'Y':
                return SchemaMessages.type(c, streamXid(c, inStreamBlock));
            case 'T':
                return DataChangeMessages.truncate(c, streamXid(c, inStreamBlock));
            case 'M':
                return TransactionMessages.logicalMessage(c, streamXid(c, inStreamBlock));
            case 'O':
                return TransactionMessages.origin(c);
            case 'S': {
                PgOutputMessage start = StreamMessages.start(c);
                c.requireEnd();
                return start;
            }
            case 'E': {
                PgOutputMessage stop = StreamMessages.stop();
                c.requireEnd();
                return stop;
            }
            case 'c':
                return StreamMessages.commit(c);
            case 'A':
                return StreamMessages.abort(c);
            case 'b':
                return TwoPhaseMessages.beginPrepare(c);
            case 'P':
                return TwoPhaseMessages.prepare(c);
            case 'K':
                return TwoPhaseMessages.commitPrepared(c);
            case 'r':
                return TwoPhaseMessages.rollbackPrepared(c);
            case 'p':
                return TwoPhaseMessages.streamPrepare(c);
            default:
                throw c.errorAt(0, "unknown message type " + DecodeException.describeByte(type));
        }
    }

    /** The Int32 xid that precedes the body inside a streamed block; 0 (absent) outside one. */
    private static int streamXid(ArrayCursor c, boolean inStreamBlock) {
        return inStreamBlock ? c.readInt("xid") : 0;
    }
}
