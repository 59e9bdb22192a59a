package dev.pgoutput.spi;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.PgOutputMessage;
import java.nio.ByteBuffer;

/**
 * Decodes pgoutput messages, one XLogData payload at a time.
 *
 * <p>A decoder holds no protocol state: whether a message stands inside a Stream Start … Stream Stop
 * block (where Relation, Type, Insert, Update, Delete, Truncate and Message carry an Int32 xid) is a fact
 * of the message flow, which the caller follows and passes in. A decoder may reuse scratch objects
 * between calls, so it is not thread-safe: use one per thread. To decode a recorded stream in order,
 * {@link MessageSequenceDecoder} follows the blocks for you.
 */
public interface PgOutputDecoder {

    /**
     * Decodes one message.
     *
     * <p>The message is the bytes from {@code message.position()} to {@code message.limit()}; the
     * buffer's position is left unchanged. Tuple values in the result are views into the buffer's
     * backing array (or a copy when the buffer has none), so the caller must not reuse that array while
     * the result is in use.
     *
     * @param message       the payload of one XLogData frame
     * @param lsn           the frame's start LSN, for error messages and events
     * @param inStreamBlock whether a streamed block is open, so that the message carries an xid after its
     *                      type byte (for the message kinds that have one)
     * @return the decoded message
     * @throws DecodeException when the bytes are truncated, malformed or of an unknown type; the decoder
     *                         stays usable
     */
    PgOutputMessage decode(ByteBuffer message, long lsn, boolean inStreamBlock);

    /**
     * Decodes one message that stands outside any streamed block.
     *
     * @see #decode(ByteBuffer, long, boolean)
     */
    default PgOutputMessage decode(ByteBuffer message, long lsn) {
        return decode(message, lsn, false);
    }
}
