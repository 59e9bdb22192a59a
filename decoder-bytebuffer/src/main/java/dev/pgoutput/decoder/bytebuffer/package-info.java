/**
 * A pgoutput decoder over {@link java.nio.ByteBuffer}, the portable fallback beside the Panama decoder.
 *
 * <p>One class per concern: {@link dev.pgoutput.decoder.bytebuffer.ByteBufferDecoder} dispatches on the
 * type byte and tracks the streamed-block state, {@code MessageReader} is the bounds-checked cursor,
 * {@code TupleReader} reads TupleData, and one class per message family (transaction, data change,
 * schema, streaming, two-phase) reads the message bodies.
 */
package dev.pgoutput.decoder.bytebuffer;
