package dev.pgoutput.types;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code inet}, {@code cidr}, {@code macaddr} and {@code macaddr8} forms. Addresses are parsed here, not with
 * {@link InetAddress#getByName}, which would turn IPv4-mapped IPv6 addresses into IPv4 ones (PostgreSQL
 * keeps them apart) and is allowed to consult DNS for anything that is not a literal.
 */
final class NetworkText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private NetworkText() {
    }

    static PgInet parseInet(String s, boolean cidr) {
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        byte[] address = host.indexOf(':') >= 0 ? ipv6(host) : ipv4(host);
        int bits = slash < 0 ? address.length * 8 : Integer.parseInt(s.substring(slash + 1));
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException("bad netmask length " + bits);
        }
        return new PgInet(toAddress(address), bits, cidr);
    }

    static InetAddress toAddress(byte[] address) {
        try {
            return address.length == 16 ? Inet6Address.getByAddress(null, address, -1)
                    : Inet4Address.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + address.length, e);
        }
    }

    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad IPv4 address");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v < 0 || v > 255 || parts[i].isEmpty()) {
                throw new IllegalArgumentException("bad IPv4 address");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] ipv6(String s) {
        byte[] out = new byte[16];
        int gap = s.indexOf("::");
        String head = gap < 0 ? s : s.substring(0, gap);
        String tail = gap < 0 ? "" : s.substring(gap + 2);
        byte[] headBytes = groups(head);
        byte[] tailBytes = groups(tail);
        if (gap < 0 ? headBytes.length != 16 : headBytes.length + tailBytes.length > 14) {
            throw new IllegalArgumentException("bad IPv6 address");
        }
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(tailBytes, 0, out, 16 - tailBytes.length, tailBytes.length);
        return out;
    }

    /** Colon-separated hex groups, the last of which may be a dotted IPv4 address. */
    private static byte[] groups(String s) {
        if (s.isEmpty()) {
            return new byte[0];
        }
        String[] parts = s.split(":", -1);
        byte[] out = new byte[parts.length * 2 + 2];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                byte[] v4 = ipv4(p);
                System.arraycopy(v4, 0, out, n, 4);
                n += 4;
            } else {
                if (p.isEmpty() || p.length() > 4) {
                    throw new IllegalArgumentException("bad IPv6 group");
                }
                int v = Integer.parseInt(p, 16);
                out[n++] = (byte) (v >> 8);
                out[n++] = (byte) v;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** RFC 5952: lower-case hex, leading zeros dropped, the longest run of two or more zero groups as {@code ::}. */
    static String formatIpv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** {@code 08:00:2b:01:02:03}: how PostgreSQL prints {@code macaddr} and {@code macaddr8}. */
    static String formatMac(byte[] buf, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 3);
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = buf[off + i] & 0xFF;
            sb.append(HEX[b >> 4]).append(HEX[b & 0xF]);
        }
        return sb.toString();
    }
}
