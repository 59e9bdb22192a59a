/**
 * The engine behind {@link dev.pgoutput.api.LogicalReplicationReader}; not exported.
 *
 * <p>Data flows one way, each piece of state has one owner:
 *
 * <pre>
 * ReplicationStream.read() ─ XLogData ─▶ PgOutputDecoder.decode(payload, lsn, inStreamBlock)   (EngineLoop)
 *   ─▶ EventAssembler.handle: the open ordinary transaction (TransactionContext)
 *        ├─ RelationCache         tables and types of this session, an overlay while a kept transaction is delivered
 *        ├─ ResendFilter          what this reader already delivered, across reconnects
 *        ├─ StreamedTransactions  Stream Start … Stop blocks (the decoder's inStreamBlock), kept or early streams
 *        ├─ PreparedTransactions  two-phase: kept until COMMIT PREPARED, or delivered at PREPARE
 *        │    └─ TransactionSpools kept messages, decoded, in memory or in SpillFiles (SpillRecordCodec)
 *        └─ EventFactory          rows, source block, envelope
 *   ─▶ EventSink (EngineLoop) ─▶ DeliveryQueue (events, outcomes, end; bounded by count and bytes)
 *   ─▶ ReplicationSession.take() on the application's thread
 * acknowledgements ─▶ AcknowledgementTracker (the one owner of positions) ◀─ read by the stream's status updates
 * </pre>
 *
 * <p>{@link dev.pgoutput.internal.engine.Handshake} opens each link (setup checks, protocol choice, the
 * {@link dev.pgoutput.internal.engine.PgOutputFeature} table's checks and plugin options), at start and
 * after every reconnect. The configuration is {@link dev.pgoutput.internal.engine.ReaderConfig}, made of
 * small records that validate themselves. Everything but the consumer side and the tracker runs on the
 * engine thread alone.
 */
package dev.pgoutput.internal.engine;
