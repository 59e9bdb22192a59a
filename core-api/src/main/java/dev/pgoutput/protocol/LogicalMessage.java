package dev.pgoutput.protocol;

import java.util.Arrays;

/**
 * Message ({@code 'M'}): a logical decoding message written with {@code pg_logical_emit_message}.
 *
 * @param xid           transaction id inside a streamed block, otherwise 0
 * @param transactional whether the message belongs to its transaction (flag bit 1)
 * @param lsn           the LSN of the message
 * @param prefix        the message prefix
 * @param content       the message content (a private copy)
 */
public record LogicalMessage(int xid, boolean transactional, long lsn, String prefix, byte[] content)
        implements PgOutputMessage {

    /** Copies the content so the record stays immutable. */
    public LogicalMessage {
        content = content.clone();
    }

    /** Returns a copy of the content. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public char typeCode() {
        return 'M';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogicalMessage m && xid == m.xid && transactional == m.transactional && lsn == m.lsn
                && prefix.equals(m.prefix) && Arrays.equals(content, m.content);
    }

    @Override
    public int hashCode() {
        return (31 * Long.hashCode(lsn) + prefix.hashCode()) * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "LogicalMessage[xid=" + xid + ", transactional=" + transactional + ", lsn=" + Lsn.format(lsn)
                + ", prefix=" + prefix + ", content=" + content.length + " bytes]";
    }
}
