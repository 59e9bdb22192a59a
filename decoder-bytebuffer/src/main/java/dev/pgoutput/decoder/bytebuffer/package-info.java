/**
 * A pgoutput decoder over {@link java.nio.ByteBuffer}, the portable fallback beside the Panama decoder.
 *
 * <p>One class per concern: {@link dev.pgoutput.decoder.bytebuffer.ByteBufferDecoder} dispatches on the
 * type byte (and reads the xid inside a streamed block, which the caller names), {@code ArrayCursor} is the
 * bounds-checked cursor over a byte array, {@code TupleReader} reads TupleData, and one class per message
 * family ({@code TransactionMessages}, {@code DataChangeMessages}, {@code SchemaMessages},
 * {@code StreamMessages}, {@code TwoPhaseMessages}) reads the message bodies. The Panama decoder has the
 * same classes under the same names, but for its cursor, {@code SegmentCursor}: the cursor is where the
 * two differ.
 */
package dev.pgoutput.decoder.bytebuffer;
