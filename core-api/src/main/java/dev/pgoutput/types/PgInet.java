package dev.pgoutput.types;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An {@code inet} or {@code cidr} value: an address and a network prefix length. IPv4-mapped IPv6
 * addresses ({@code ::ffff:1.2.3.4}) stay {@link Inet6Address}, because PostgreSQL keeps them apart from
 * IPv4 addresses.
 *
 * @param address      the host or network address
 * @param prefixLength the netmask length (32 or 128 for a single host)
 * @param cidr         whether the value is a {@code cidr} (a network) rather than an {@code inet}
 */
public record PgInet(InetAddress address, int prefixLength, boolean cidr) {

    /** The address width in bits: 32 or 128. */
    public int maxPrefixLength() {
        return address.getAddress().length * 8;
    }

    /**
     * PostgreSQL's text form: the address, then {@code /n} unless it is an {@code inet} with a full
     * mask. IPv6 is written in RFC 5952 form, which for addresses PostgreSQL prints with embedded
     * IPv4 ({@code ::ffff:1.2.3.4}) differs in spelling only.
     */
    @Override
    public String toString() {
        String host = address instanceof Inet6Address ? NetworkText.formatIpv6(address.getAddress())
                : address.getHostAddress();
        return cidr || prefixLength != maxPrefixLength() ? host + "/" + prefixLength : host;
    }
}
