package io.upki.acme.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.bouncycastle.util.IPAddress;

/** IP literals of RFC 8738 identifiers, parsed without ever querying DNS. */
public final class Addresses {
    private Addresses() {
    }

    /** True for an IPv4 or IPv6 literal (no zone, no brackets). */
    public static boolean isLiteral(String value) {
        return value != null && (IPAddress.isValidIPv4(value) || IPAddress.isValidIPv6(value));
    }

    /** The address of a literal checked with {@link #isLiteral}: {@code getByName} does no lookup for literals. */
    public static InetAddress literal(String value) {
        if (!isLiteral(value)) {
            throw new IllegalArgumentException("not an IP literal");
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal", e);
        }
    }

    /** RFC 8738 section 6: the reverse-DNS name used as SNI for tls-alpn-01 on an IP address. */
    public static String reverseName(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder();
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = b.length - 1; i >= 0; i--) {
            sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }
}
