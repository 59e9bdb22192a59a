/**
 * The user-facing API: a {@link dev.pgoutput.api.LogicalReplicationReader} that streams a PostgreSQL
 * logical replication slot (the built-in {@code pgoutput} plugin) as Debezium-shaped
 * {@link dev.pgoutput.api.ChangeEvent}s.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
 *         .host("localhost").port(5432).database("mydb")
 *         .user("postgres").password("secret")            // or .connectionUri("postgresql://...")
 *         .publication("test_pub").slot("test_slot")
 *         .autoAcknowledge(true)                            // default true
 *         .build()) {
 *     for (ChangeEvent e : reader) {                        // blocks; ends after stop()/close()
 *         switch (e.op()) {
 *             case CREATE -> index(e.after());
 *             case UPDATE -> reindex(e.before(), e.after());
 *             case DELETE -> remove(e.before());
 *             default -> { }
 *         }
 *         Source s = e.source();                            // s.schema(), s.table(), s.lsn(), ...
 *     }
 * }
 * }</pre>
 *
 * <p>The slot and the publication are created by the user ({@code build()} fails with a
 * {@link dev.pgoutput.api.ReplicationSetupException} that shows the SQL when they are missing). Debezium JSON
 * is in the {@code pgoutput-serde-json} artifact: {@code DebeziumJson.toJson(e)}.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li><b>The calling thread of {@code build()}</b> connects, checks the server's setup and starts
 *       streaming; setup failures are thrown there.</li>
 *   <li><b>The engine thread</b> (a daemon named {@code pgoutput-reader-<slot>}, one per reader) then does
 *       all the work on the connection: it reads the stream, decodes messages, assembles events, puts them
 *       into the reader's bounded buffer ({@code bufferCapacity} events, {@code bufferBytes} of messages),
 *       sends the status updates that report the acknowledged position ({@code close()} sends the last one,
 *       once the engine thread has ended), and reconnects with backoff. When the
 *       buffer is full it stops reading from the server (that is the backpressure) but keeps sending status
 *       updates so that the server does not end the session. A failure it cannot recover from ends it; the
 *       consumer gets that failure after every event that came before it.</li>
 *   <li><b>The consuming thread</b> takes events out: {@link dev.pgoutput.api.LogicalReplicationReader#iterator()}
 *       and {@link dev.pgoutput.api.LogicalReplicationReader#poll(java.time.Duration)} are meant for one thread
 *       at a time. With auto-acknowledgement, asking for the next event acknowledges the previous one. The
 *       {@code transactionOutcomes} listener runs on this thread too, in order with the events. The
 *       {@link dev.pgoutput.api.LogicalReplicationReader#publisher() publisher} is the same consumer with a thread
 *       of its own ({@code pgoutput-publisher}) that calls {@code onNext} only while there is demand; it takes
 *       one subscriber.</li>
 *   <li><b>Any thread</b> may call {@code stop()}, {@code close()}, {@code acknowledge()},
 *       {@code acknowledge(lsn)}, {@code flushedLsn()}, {@code bufferedBytes()} and {@code isEnded()}; a
 *       consumer blocked in the iterator or in {@code poll} returns within about 50 ms of {@code stop()} or
 *       {@code close()}.</li>
 * </ul>
 *
 * <p><b>Events</b> are immutable records and are handed from the engine thread to the consumer through the
 * buffer, so they are safely published. Their rows ({@link dev.pgoutput.api.Row}) convert each value from
 * the message bytes the first time it is read and keep it, without locking: conversion happens on the thread
 * that reads the value, and a row should be read by one thread at a time (or handed on through a queue, an
 * executor or another safe publication). Builders are not thread-safe.
 */
package dev.pgoutput.api;
