/**
 * A pgoutput decoder over {@link java.lang.foreign.MemorySegment}, the hot-path twin of the portable
 * ByteBuffer decoder, with exactly its results and errors.
 *
 * <p>Only {@link dev.pgoutput.decoder.panama.PanamaDecoderProvider} is compiled for Java 17. Everything
 * else ({@code PanamaDecoder}, the cursor {@code SegmentCursor}, {@code TupleReader} and one class per
 * message family, named as in the ByteBuffer decoder) is compiled for release 22 into
 * {@code META-INF/versions/22} and loaded by name once the provider has checked the runtime version.
 */
package dev.pgoutput.decoder.panama;
