package dev.pgoutput.api;

import java.time.Duration;

/**
 * What a reader has done and how far behind it is, at one moment ({@link LogicalReplicationReader#metrics()}):
 * an immutable reading, cheap to take, for a metrics binding or a status line.
 *
 * @param eventsDelivered     events handed to the application so far
 * @param bytesDelivered      bytes of the pgoutput messages behind those events
 * @param eventsPerSecond     events handed over per second, on average since the first one (0 before)
 * @param queueEvents         events (and outcomes) waiting in the reader's buffer
 * @param queueBytes          bytes of the messages behind the events waiting in the buffer
 * @param walEndLsn           the server's WAL end, as its last message or keepalive said (0 before any)
 * @param receivedLsn         the position of the last message received from the server (0 before any)
 * @param confirmedLsn        the position reported (or about to be reported) to the server as flushed
 * @param lagBytes            how far the reading is behind the server's WAL end: {@code walEndLsn - receivedLsn},
 *                            never negative
 * @param commitToDelivery    how long after its commit the last event was handed over (null before any)
 * @param sinceLastMessage    how long ago the last message came from the server (null before any)
 * @param reconnects          reconnects after a lost connection so far
 * @param lastError           the last connection failure, or null
 * @param snapshot            the snapshot running now, or null
 */
public record ReaderMetrics(long eventsDelivered, long bytesDelivered, double eventsPerSecond, int queueEvents,
                            long queueBytes, long walEndLsn, long receivedLsn, long confirmedLsn, long lagBytes,
                            Duration commitToDelivery, Duration sinceLastMessage, long reconnects, String lastError,
                            Snapshot snapshot) {

    /**
     * A snapshot's progress: the same figures the reader logs every 10 s while it runs.
     *
     * @param kind             {@code initial} or {@code incremental}
     * @param table            the table being read (for an initial copy: how many tables), or null
     * @param rowsDone         rows read so far
     * @param rowsEstimated    the estimate from {@code pg_class.reltuples} (0 when unknown)
     * @param rowsPerSecond    rows read per second since it began
     * @param age              how long it has run (it holds the xmin horizon and WAL meanwhile)
     * @param retainedWalBytes WAL the slot holds back, or -1 when not known yet
     */
    public record Snapshot(String kind, String table, long rowsDone, long rowsEstimated, double rowsPerSecond,
                           Duration age, long retainedWalBytes) {
    }
}
