package dev.pgoutput.api;

import dev.pgoutput.protocol.Lsn;

/**
 * pgoutput bytes that cannot be decoded: truncated, malformed or of an unknown message type.
 *
 * <p>It names the WAL position of the message, the message type byte and the offset inside the message
 * where decoding failed, so that the offending bytes can be found again.
 */
public class DecodeException extends PgOutputException {

    private static final long serialVersionUID = 1L;

    private final long lsn;
    private final int messageType;
    private final int offset;

    /**
     * Creates a decode failure.
     *
     * @param lsn         the XLogData start LSN of the message (0 for Relation and Type messages)
     * @param messageType the message type byte, or -1 when the message was empty
     * @param offset      the offset inside the message where decoding failed
     * @param detail      what was wrong
     */
    public DecodeException(long lsn, int messageType, int offset, String detail) {
        super(describe(lsn, messageType, offset, detail));
        this.lsn = lsn;
        this.messageType = messageType;
        this.offset = offset;
    }

    /** The XLogData start LSN of the message that failed. */
    public long lsn() {
        return lsn;
    }

    /** The message type byte, or -1 for an empty message. */
    public int messageType() {
        return messageType;
    }

    /** The offset inside the message where decoding failed. */
    public int offset() {
        return offset;
    }

    /**
     * Formats a byte of a pgoutput message for error messages: {@code 'x'} when printable ASCII, otherwise
     * {@code 0xNN}. Decoders use it so that every decoder words its errors the same way.
     */
    public static String describeByte(int b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("0x%02x", b);
    }

    private static String describe(long lsn, int messageType, int offset, String detail) {
        String type = messageType < 0 ? "<empty>" : describeByte(messageType);
        return "cannot decode pgoutput message " + type + " at LSN " + Lsn.format(lsn) + ", offset " + offset
                + ": " + detail;
    }
}
