package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Lsn;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.protocol.Update;
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
        return isSchema(message);
    }

    /** Whether {@code message} is a Relation or Type message. */
    static boolean isSchema(PgOutputMessage message) {
        return message instanceof Relation || message instanceof Type;
    }

    /**
     * The xid a message that belongs to a transaction's changes carries (the (sub)transaction that made it
     * inside a streamed block, 0 outside one).
     *
     * @param container where it arrived, for the error: {@code "a streamed block"}, {@code "a prepared transaction"}
     * @param topXid    the transaction being kept, for the error
     * @throws PgOutputException when {@code message} cannot be one of a transaction's changes
     */
    static int changeXid(PgOutputMessage message, long lsn, String container, int topXid) {
        if (message instanceof Insert m) {
            return m.xid();
        } else if (message instanceof Update m) {
            return m.xid();
        } else if (message instanceof Delete m) {
            return m.xid();
        } else if (message instanceof Relation m) {
            return m.xid();
        } else if (message instanceof Type m) {
            return m.xid();
        } else if (message instanceof Truncate m) {
            return m.xid();
        } else if (message instanceof LogicalMessage m) {
            return m.xid();
        }
        throw new PgOutputException("unexpected pgoutput message '" + message.typeCode() + "' at LSN "
                + Lsn.format(lsn) + " inside " + container + " of transaction " + Integer.toUnsignedString(topXid));
    }

    /**
     * Heap held beyond the message bytes: the frame's header (the decoded views keep the whole frame),
     * the record, the buffer and the tuple objects. Measured on JDK 25 with compressed pointers.
     */
    private static final int FIXED_OVERHEAD_BYTES = 25 + 256;
    /** Per column of a decoded tuple: its kind byte, offset and length. */
    private static final int PER_COLUMN_BYTES = 9;

    /** The size of the message on the wire. */
    int size() {
        return payload.remaining();
    }

    /** What keeping it in memory costs, as counted against the spill budget. */
    long heapCost() {
        int columns = 0;
        if (message instanceof Insert m) {
            columns = m.newTuple().columnCount();
        } else if (message instanceof Update m) {
            columns = m.newTuple().columnCount() + (m.oldTuple() == null ? 0 : m.oldTuple().columnCount());
        } else if (message instanceof Delete m) {
            columns = m.oldTuple().columnCount();
        }
        return (long) size() + FIXED_OVERHEAD_BYTES + (long) PER_COLUMN_BYTES * columns;
    }
}
