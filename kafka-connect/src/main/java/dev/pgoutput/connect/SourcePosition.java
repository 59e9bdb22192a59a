package dev.pgoutput.connect;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A source offset under Debezium 3.6.1's keys, so that offsets stored by Debezium's PostgreSQL connector are
 * read by ours and ours by Debezium's (the same Connect connector name and {@code topic.prefix} hand the stored
 * offsets to whichever class runs).
 *
 * <p>Keys, as Debezium writes them while streaming: {@code lsn} (the change's LSN), {@code lsn_proc} (the last
 * LSN completely processed: the change's own, since pgoutput sends one change per WAL record), {@code lsn_commit}
 * (the last COMMIT processed before this change's transaction, absent until one was seen), {@code txId},
 * {@code ts_usec} (the commit time) and {@code messageType} ({@code INSERT}, {@code UPDATE}, {@code DELETE},
 * {@code TRUNCATE}, {@code MESSAGE}, …). Numbers come back through {@link Number#longValue()}: Connect's
 * {@code JsonConverter} reads small values as {@code Integer}.
 *
 * @param lsn         the change's LSN
 * @param lsnProc     the last LSN completely processed, or {@code null}
 * @param lsnCommit   the commit LSN of the last transaction processed before, or {@code null}
 * @param txId        the transaction id, or {@code null}
 * @param tsUsec      the commit time in microseconds since the epoch, or {@code null}
 * @param messageType Debezium's message type, or {@code null}
 */
public record SourcePosition(long lsn, Long lsnProc, Long lsnCommit, Long txId, Long tsUsec, String messageType) {

    /** Debezium's offset key of the change's LSN. */
    public static final String LSN = "lsn";
    /** Debezium's offset key of the last completely processed LSN. */
    public static final String LSN_PROC = "lsn_proc";
    /** Debezium's offset key of the last processed commit. */
    public static final String LSN_COMMIT = "lsn_commit";
    /** Debezium's offset key of the transaction id. */
    public static final String TX_ID = "txId";
    /** Debezium's offset key of the commit time, microseconds. */
    public static final String TS_USEC = "ts_usec";
    /** Debezium's offset key of the message type. */
    public static final String MESSAGE_TYPE = "messageType";

    /**
     * The position of a streamed event. {@code lsn_commit} is the last commit delivered before the event's
     * transaction (the first element of the event's Debezium sequence), absent before the first commit.
     */
    static SourcePosition of(ChangeEvent event) {
        var source = event.source();
        Long lastCommit = lastCommitOf(source.sequence());
        return new SourcePosition(source.lsn(), source.lsn(), lastCommit, source.txId(),
                source.tsMs() * 1000L, messageType(event.op()));
    }

    /** Debezium's {@code ReplicationMessage.Operation} name of an event's operation. */
    static String messageType(Op op) {
        return switch (op) {
            case CREATE -> "INSERT";
            case UPDATE -> "UPDATE";
            case DELETE -> "DELETE";
            case TRUNCATE -> "TRUNCATE";
            case MESSAGE -> "MESSAGE";
            case READ -> "READ";
        };
    }

    /** The first element of a sequence {@code ["<last commit>","<lsn>"]}, or null when it is {@code null}. */
    private static Long lastCommitOf(String sequence) {
        if (sequence == null || !sequence.startsWith("[\"")) {
            return null;
        }
        int end = sequence.indexOf('"', 2);
        try {
            long value = Long.parseLong(sequence.substring(2, end));
            return value == 0 ? null : value;
        } catch (RuntimeException e) {
            return null; // not the library's streamed format: no last commit to tell
        }
    }

    /**
     * Reads a stored offset, Debezium's or ours.
     *
     * @return the position, or {@code null} when {@code offset} is null or has no {@code lsn}
     */
    static SourcePosition fromOffset(Map<String, ?> offset) {
        if (offset == null || !(offset.get(LSN) instanceof Number lsn)) {
            return null;
        }
        Object type = offset.get(MESSAGE_TYPE);
        return new SourcePosition(lsn.longValue(), longOf(offset, LSN_PROC), longOf(offset, LSN_COMMIT),
                longOf(offset, TX_ID), longOf(offset, TS_USEC), type == null ? null : type.toString());
    }

    private static Long longOf(Map<String, ?> offset, String key) {
        return offset.get(key) instanceof Number n ? n.longValue() : null;
    }

    /** The offset map, with Debezium's keys in Debezium's order; absent values are left out, as Debezium does. */
    Map<String, Object> toOffset() {
        Map<String, Object> offset = new LinkedHashMap<>();
        if (lsnProc != null) {
            offset.put(LSN_PROC, lsnProc);
        }
        if (messageType != null) {
            offset.put(MESSAGE_TYPE, messageType);
        }
        if (lsnCommit != null) {
            offset.put(LSN_COMMIT, lsnCommit);
        }
        offset.put(LSN, lsn);
        if (txId != null) {
            offset.put(TX_ID, txId);
        }
        if (tsUsec != null) {
            offset.put(TS_USEC, tsUsec);
        }
        return offset;
    }
}
