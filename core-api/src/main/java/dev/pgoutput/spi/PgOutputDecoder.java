package dev.pgoutput.spi;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.PgOutputMessage;
import java.nio.ByteBuffer;

/**
 * Decodes pgoutput messages, one XLogData payload at a time.
 *
 * <p>A decoder is stateful (it tracks whether a Stream Start … Stream Stop block is open, because the
 * {@code xid} field is only present inside one) and is not thread-safe: use one per stream.
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
     * @param message the payload of one XLogData frame
     * @param lsn     the frame's start LSN, for error messages and events
     * @return the decoded message
     * @throws DecodeException when the bytes are truncated, malformed or of an unknown type; the decoder
     *                         stays usable
     */
    PgOutputMessage decode(ByteBuffer message, long lsn);
}
