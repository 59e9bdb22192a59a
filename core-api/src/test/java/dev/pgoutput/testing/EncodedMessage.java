package dev.pgoutput.testing;

/**
 * One message as wire bytes, with the places where its counts and lengths were written (for targeted
 * mutation, see {@link Mutator}).
 *
 * @param bytes            the whole message, type byte first
 * @param sizeFieldOffsets where counts and lengths were written
 * @param sizeFieldWidths  their widths in bytes (2 or 4), index for index
 */
public record EncodedMessage(byte[] bytes, int[] sizeFieldOffsets, int[] sizeFieldWidths) {
}
