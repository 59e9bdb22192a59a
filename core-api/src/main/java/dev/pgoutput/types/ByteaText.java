package dev.pgoutput.types;

/**
 * {@code bytea} text forms: hex ({@code \x0a0b}, the default since PostgreSQL 9.0) and the older escape
 * form ({@code \\} and {@code \ooo} octal escapes), which a server with {@code bytea_output = escape}
 * still sends.
 */
final class ByteaText {

    private ByteaText() {
    }

    static byte[] parse(byte[] buf, int off, int len) {
        if (len >= 2 && buf[off] == '\\' && buf[off + 1] == 'x') {
            return parseHex(buf, off + 2, len - 2);
        }
        return parseEscape(buf, off, len);
    }

    private static byte[] parseHex(byte[] buf, int off, int len) {
        if ((len & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((hex(buf[off + 2 * i]) << 4) | hex(buf[off + 2 * i + 1]));
        }
        return out;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("invalid hex digit");
    }

    private static byte[] parseEscape(byte[] buf, int off, int len) {
        byte[] out = new byte[len];
        int n = 0;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = buf[i];
            if (c != '\\') {
                out[n++] = c;
            } else if (i + 1 < end && buf[i + 1] == '\\') {
                out[n++] = '\\';
                i++;
            } else if (i + 3 < end && isOctal(buf[i + 1]) && isOctal(buf[i + 2]) && isOctal(buf[i + 3])) {
                out[n++] = (byte) (((buf[i + 1] - '0') << 6) | ((buf[i + 2] - '0') << 3) | (buf[i + 3] - '0'));
                i += 3;
            } else {
                throw new IllegalArgumentException("invalid escape in bytea");
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static boolean isOctal(byte c) {
        return c >= '0' && c <= '7';
    }
}
