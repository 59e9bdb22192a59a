package dev.pgoutput.protocol;

/**
 * Stream Start ({@code 'S'}): opens a block of changes of an in-progress transaction (protocol 2+).
 *
 * @param xid          the streamed transaction
 * @param firstSegment whether this is the transaction's first block
 */
public record StreamStart(int xid, boolean firstSegment) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'S';
    }
}
