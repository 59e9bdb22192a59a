package dev.pgoutput.internal.engine;

import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.Type;
import java.nio.ByteBuffer;

/**
 * One message of a transaction whose outcome is not known yet, kept decoded until the outcome arrives.
 *
 * @param message     the decoded message; its tuple values are views into {@code payload}
 * @param lsn         the XLogData LSN it came with
 * @param subXid      the (sub)transaction that made the change: a streamed change names it, a change of a
 *                    prepared transaction belongs to the transaction itself
 * @param streamBlock whether it arrived inside a Stream Start … Stream Stop block (so its bytes carry an
 *                    xid), needed to decode it again when it was written to a spill file
 * @param payload     the message bytes, position to limit, kept for a spill file; never modified
 */
record KeptMessage(PgOutputMessage message, long lsn, int subXid, boolean streamBlock, ByteBuffer payload) {

    /** Whether it describes a table or type: never left out on replay, later changes may rely on it. */
    boolean schema() {
        return message instanceof Relation || message instanceof Type;
    }

    /** The size of the message on the wire. */
    int size() {
        return payload.remaining();
    }
}
