package dev.pgoutput.protocol;

/**
 * Origin ({@code 'O'}): the replication origin a transaction came from.
 *
 * @param commitLsn the commit LSN on the origin server
 * @param name      the origin's name
 */
public record Origin(long commitLsn, String name) implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'O';
    }
}
