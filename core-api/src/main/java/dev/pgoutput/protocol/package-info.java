/**
 * The pgoutput message model: one record per message of the PostgreSQL "Logical Replication Message
 * Formats", shared by every decoder so that they can be compared value for value.
 *
 * <p>Field names follow the PostgreSQL documentation. Timestamps are microseconds since the PostgreSQL
 * epoch (2000-01-01 UTC) exactly as sent; {@link dev.pgoutput.protocol.PgEpoch} converts them. An
 * {@code xid} of {@code 0} means "not present" (the field is only sent inside a Stream Start … Stream
 * Stop block).
 */
package dev.pgoutput.protocol;
