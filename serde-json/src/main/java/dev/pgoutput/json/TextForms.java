package dev.pgoutput.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Checks that a value's text form, exactly as the server sent it, is also valid JSON for the way it is
 * about to be copied: a number token, or a UTF-8 string body. The writer copies bytes only after one of
 * these checks passes, so that a corrupt or unexpected value can never produce invalid JSON; a value
 * that fails goes the slow way, through its Java value.
 *
 * <p>Hand-written scans over the byte window rather than a regex or a parse: they run once per column
 * on the hot path and allocate nothing.
 */
final class TextForms {

    private static final byte[] LONG_MAX_DIGITS = "9223372036854775807".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MIN_DIGITS = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);

    private TextForms() {
    }

    /**
     * Whether the bytes are a JSON integer ({@code -?(0|[1-9][0-9]*)}) within int8's range. The range
     * check keeps the fast path from accepting what the core would reject: text beyond it goes through
     * {@link dev.pgoutput.api.Row#value(int)} and fails there, as it would for any reader of the row.
     */
    static boolean isJsonLong(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = i < end && buf[i] == '-';
        if (negative) {
            i++;
        }
        int digits = scanDigits(buf, i, end);
        if (digits == 0 || i + digits != end || (digits > 1 && buf[i] == '0')) {
            return false;
        }
        if (digits < LONG_MAX_DIGITS.length) {
            return true;
        }
        if (digits > LONG_MAX_DIGITS.length) {
            return false;
        }
        byte[] limit = negative ? LONG_MIN_DIGITS : LONG_MAX_DIGITS;
        return Arrays.compare(buf, i, end, limit, 0, limit.length) <= 0;
    }

    /**
     * Whether the bytes are a JSON number (RFC 8259 section 6):
     * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}.
     */
    static boolean isJsonNumber(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        if (i < end && buf[i] == '-') {
            i++;
        }
        int digits = scanDigits(buf, i, end);
        if (digits == 0 || (digits > 1 && buf[i] == '0')) {
            return false;
        }
        i += digits;
        if (i < end && buf[i] == '.') {
            i++;
            digits = scanDigits(buf, i, end);
            if (digits == 0) {
                return false;
            }
            i += digits;
        }
        if (i < end && (buf[i] == 'e' || buf[i] == 'E')) {
            i++;
            if (i < end && (buf[i] == '+' || buf[i] == '-')) {
                i++;
            }
            digits = scanDigits(buf, i, end);
            if (digits == 0) {
                return false;
            }
            i += digits;
        }
        return i == end;
    }

    /** Whether the bytes equal an ASCII constant. */
    static boolean equalsAscii(byte[] buf, int off, int len, String ascii) {
        if (len != ascii.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the bytes are well-formed UTF-8 (the Unicode standard's table 3-7: no overlong forms, no
     * surrogates, nothing above U+10FFFF). Jackson copies the bytes of {@code writeUTF8String} as they
     * are, so malformed input would otherwise reach the output; a database whose encoding is not UTF8
     * (SQL_ASCII, for one) can send such bytes.
     */
    static boolean isWellFormedUtf8(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int b = buf[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            if (b >= 0xC2 && b <= 0xDF) {
                if (i + 1 >= end || !isContinuation(buf[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (i + 2 >= end) {
                    return false;
                }
                int b1 = buf[i + 1] & 0xFF;
                int lo = b == 0xE0 ? 0xA0 : 0x80;
                int hi = b == 0xED ? 0x9F : 0xBF;
                if (b1 < lo || b1 > hi || !isContinuation(buf[i + 2])) {
                    return false;
                }
                i += 3;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (i + 3 >= end) {
                    return false;
                }
                int b1 = buf[i + 1] & 0xFF;
                int lo = b == 0xF0 ? 0x90 : 0x80;
                int hi = b == 0xF4 ? 0x8F : 0xBF;
                if (b1 < lo || b1 > hi || !isContinuation(buf[i + 2]) || !isContinuation(buf[i + 3])) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int scanDigits(byte[] buf, int from, int end) {
        int i = from;
        while (i < end && buf[i] >= '0' && buf[i] <= '9') {
            i++;
        }
        return i - from;
    }
}
