/**
 * JDK Flight Recorder events of the reader: connection attempts ({@code dev.pgoutput.Connect}), status updates
 * ({@code dev.pgoutput.StatusUpdate}) and waits on a full delivery buffer ({@code dev.pgoutput.BufferFull}), in
 * the category "pgoutput-decoder". They cost nothing unless a recording enables them. Internal: exported only to
 * the transport, which sends the status updates.
 */
package dev.pgoutput.internal.jfr;
