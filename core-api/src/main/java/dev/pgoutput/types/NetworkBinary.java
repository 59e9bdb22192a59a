package dev.pgoutput.types;

import java.util.Arrays;

/** The binary send forms of {@code inet}, {@code cidr}, {@code macaddr} and {@code macaddr8}. */
final class NetworkBinary {

    private NetworkBinary() {
    }

    /** inet/cidr: family (2 = IPv4, 3 = IPv6), bits, is_cidr, address length, address. */
    static PgInet inet(byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated inet");
        }
        int bits = b[off + 1] & 0xFF;
        boolean cidr = b[off + 2] != 0;
        int n = b[off + 3] & 0xFF;
        BinaryValues.need(len, 4 + n);
        if (n != 4 && n != 16) {
            throw new IllegalArgumentException("bad address length " + n);
        }
        return new PgInet(NetworkText.toAddress(Arrays.copyOfRange(b, off + 4, off + 4 + n)), bits, cidr);
    }

    /** macaddr (6 bytes) and macaddr8 (8 bytes), written as the text form writes them. */
    static String mac(byte[] b, int off, int len, int size) {
        BinaryValues.need(len, size);
        return NetworkText.formatMac(b, off, size);
    }
}
