package dev.pgoutput.spi;

import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Decodes the messages of one recorded stream in the order the server sent them, following its streamed
 * blocks: after a Stream Start the messages carry an xid, after a Stream Stop they do not. For tools and
 * tests that replay captured messages; the reader's engine follows the blocks itself.
 *
 * <pre>{@code
 * MessageSequenceDecoder decoder = new MessageSequenceDecoder(provider.create());
 * for (Frame f : frames) {
 *     PgOutputMessage m = decoder.next(ByteBuffer.wrap(f.payload()), f.lsn());
 * }
 * }</pre>
 *
 * <p>A Stream Start opens a block and a Stream Stop closes it whatever the state before, and only once
 * the message decoded completely, so a sequence that starts over (as after a reconnect) is followed too.
 * Not thread-safe.
 */
public final class MessageSequenceDecoder implements PgOutputDecoder {

    private final PgOutputDecoder decoder;
    private boolean inStreamBlock;

    /** Follows a sequence with {@code decoder}, starting outside any block. */
    public MessageSequenceDecoder(PgOutputDecoder decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    /**
     * Decodes the next message of the sequence.
     *
     * @throws dev.pgoutput.api.DecodeException as {@link PgOutputDecoder#decode}; the block state is
     *                                          then unchanged
     */
    public PgOutputMessage next(ByteBuffer message, long lsn) {
        return decode(message, lsn, false);
    }

    /**
     * Decodes the next message of the sequence, inside a block when one is open or {@code inStreamBlock}
     * says so.
     */
    @Override
    public PgOutputMessage decode(ByteBuffer message, long lsn, boolean inStreamBlock) {
        PgOutputMessage decoded = decoder.decode(message, lsn, inStreamBlock || this.inStreamBlock);
        if (decoded instanceof StreamStart) {
            this.inStreamBlock = true;
        } else if (decoded instanceof StreamStop) {
            this.inStreamBlock = false;
        }
        return decoded;
    }

    /** Whether a streamed block is open after the messages so far. */
    public boolean inStreamBlock() {
        return inStreamBlock;
    }
}
