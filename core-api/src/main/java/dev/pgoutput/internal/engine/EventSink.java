package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.TransactionOutcome;

/** Where finished events, commits and outcomes go, in delivery order. */
interface EventSink {
    /** One change event, made from a message of {@code messageBytes} bytes. */
    void event(ChangeEvent event, int messageBytes);

    /** A transaction ended at {@code endLsn}; every event of it was passed to {@link #event} before. */
    void commit(long endLsn);

    /**
     * A prepared transaction waits for its outcome: the flush position must not pass {@code lsn}
     * (its PREPARE) until {@link #release}, so that a new reader receives it again.
     */
    default void hold(int xid, long lsn) {
    }

    /** The prepared transaction's outcome was handled. */
    default void release(int xid) {
    }

    /** The outcome of a transaction whose events were delivered before it, in delivery order. */
    default void outcome(TransactionOutcome outcome) {
    }
}
