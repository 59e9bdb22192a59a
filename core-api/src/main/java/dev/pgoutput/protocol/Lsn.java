package dev.pgoutput.protocol;

/**
 * Log sequence numbers as PostgreSQL writes them ({@code 16/B374D848}): two hexadecimal halves of an
 * unsigned 64-bit position.
 */
public final class Lsn {

    /** The invalid LSN {@code 0/0}. */
    public static final long INVALID = 0L;

    private Lsn() {
    }

    /** Formats an LSN the way PostgreSQL does, for example {@code 0/16B3748}. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + '/' + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /**
     * Parses {@code XXX/XXX}.
     *
     * @throws IllegalArgumentException when the text is not an LSN
     */
    public static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("not an LSN (expected hex/hex such as 0/16B3748): " + text);
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return (high << 32) | low;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN (expected hex/hex such as 0/16B3748): " + text, e);
        }
    }
}
