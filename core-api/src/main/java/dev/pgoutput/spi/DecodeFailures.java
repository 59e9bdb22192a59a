package dev.pgoutput.spi;

/**
 * The wording of the failures every pgoutput decoder reports the same way. Decoders must agree on the
 * message of each {@link dev.pgoutput.api.DecodeException} for the same bytes (the conformance suite
 * compares them), so the sentences are written once, here, and each decoder only supplies the numbers.
 */
public final class DecodeFailures {

    private DecodeFailures() {
    }

    /** A fixed-width field that does not fit in what is left of the message. */
    public static String truncated(String field, int width, int remaining) {
        return "truncated: " + field + " needs " + width + " bytes, " + remaining + " remain";
    }

    /** An Int32 length below zero. */
    public static String negativeLength(String field, int length) {
        return field + " is negative (" + length + ")";
    }

    /** An Int32 length that points past the end of the message. */
    public static String lengthExceedsRemaining(String field, int length, int remaining) {
        return field + " " + length + " exceeds the " + remaining + " remaining bytes";
    }

    /** A string whose NUL terminator is not in the message. */
    public static String noNulTerminator(String field, int remaining) {
        return field + " has no NUL terminator within the " + remaining + " remaining bytes";
    }

    /** A name that is not valid UTF-8. */
    public static String invalidUtf8(String field) {
        return field + " is not valid UTF-8";
    }

    /** Bytes left over after a complete message. */
    public static String trailingBytes(int count) {
        return count + " trailing bytes after a complete message";
    }
}
