package dev.pgoutput.spi;

import java.nio.ByteBuffer;

/**
 * One XLogData frame of a logical replication stream: one pgoutput message with the positions the
 * server sent it with.
 *
 * @param startLsn   the frame's start LSN: the LSN of the change for row changes, the end of the commit
 *                   record for a Commit, 0/0 for the Relation and Type messages sent ahead of a change
 * @param walEnd     the frame's WAL end; in logical replication the same as {@code startLsn}, not the
 *                   server's WAL end (see {@link ReplicationStream#serverWalEnd()})
 * @param serverTime the server's clock when it sent the frame, microseconds since 2000-01-01 UTC
 * @param payload    the pgoutput message, from its position to its limit; a buffer of its own, which
 *                   the transport does not reuse, so decoded views into it stay valid
 */
public record XLogData(long startLsn, long walEnd, long serverTime, ByteBuffer payload) {
}
