package io.upki.acme.validation;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which addresses ACME may validate, that is, make the RA connect to. Validation is a connection the
 * RA makes on behalf of anyone who can create an account, so without a bound it probes the RA's own
 * host and network: loopback, the unspecified address, link-local (cloud metadata at 169.254.169.254),
 * multicast and reserved ranges are never allowed, and private ones (RFC 1918, RFC 4193 unique local,
 * RFC 6598 shared 100.64.0.0/10) only inside networks the operator names. Applied to {@code ip}
 * identifiers at newOrder and to every resolved address of a {@code dns} identifier before connecting.
 */
public final class NetworkPolicy {
    /** What an address is, for the refusal message. */
    public enum Kind {
        PUBLIC("public"), LOOPBACK("loopback"), UNSPECIFIED("unspecified"), LINK_LOCAL("link-local"),
        MULTICAST("multicast"), RESERVED("reserved"), PRIVATE("private");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final List<Cidr> allowed;

    private NetworkPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Public addresses only: the default. */
    public static NetworkPolicy publicOnly() {
        return new NetworkPolicy(List.of());
    }

    /**
     * Public addresses plus the networks of {@code spec}, {@code CIDR[,CIDR]} such as
     * {@code 127.0.0.0/8,10.0.0.0/8,fd00::/8} (blank: public only).
     */
    public static NetworkPolicy parse(String spec) {
        List<Cidr> networks = new ArrayList<>();
        if (spec != null) {
            for (String part : spec.split(",")) {
                if (!part.isBlank()) {
                    networks.add(Cidr.parse(part.strip()));
                }
            }
        }
        return new NetworkPolicy(networks);
    }

    /** True when validation may connect to {@code address}. */
    public boolean permits(InetAddress address) {
        if (kind(address) == Kind.PUBLIC) {
            return true;
        }
        for (Cidr c : allowed) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The addresses of {@code addresses} validation may connect to, in order. */
    public List<InetAddress> filter(List<InetAddress> addresses) {
        return addresses.stream().filter(this::permits).toList();
    }

    /**
     * The addresses of an identifier that validation may connect to: the literal of an {@code ip} one, the
     * permitted resolved addresses of a {@code dns} one. None permitted is a problem that names no address
     * and no port, so a refused validation tells nothing about what listens there.
     */
    public List<InetAddress> permitted(Identifier identifier, Resolver resolver) throws AcmeProblem {
        List<InetAddress> addresses = filter(identifier.isIp() ? List.of(Addresses.literal(identifier.value()))
                : resolver.addresses(identifier.value()));
        if (addresses.isEmpty()) {
            throw new AcmeProblem(AcmeError.CONNECTION, identifier.value() + " has no address this server may validate");
        }
        return addresses;
    }

    /** The allowed networks as given, comma-separated ("" when none). */
    public String allowedNetworks() {
        return allowed.stream().map(Cidr::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return allowed.isEmpty() ? "public addresses only" : "public addresses and " + allowedNetworks();
    }

    /** The special-purpose range {@code address} is in (RFC 6890 and its IPv6 counterparts), else PUBLIC. */
    public static Kind kind(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return kind4(b);
        }
        if (address instanceof Inet6Address) {
            return kind6(b);
        }
        return Kind.RESERVED;
    }

    private static Kind kind4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0) {
            return Kind.UNSPECIFIED; // 0.0.0.0/8, "this network": 0.0.0.0 reaches the local host
        }
        if (a0 == 127) {
            return Kind.LOOPBACK;
        }
        if (a0 == 169 && a1 == 254) {
            return Kind.LINK_LOCAL;
        }
        if (a0 >= 224 && a0 <= 239) {
            return Kind.MULTICAST;
        }
        if (a0 >= 240) {
            return Kind.RESERVED; // 240.0.0.0/4 and the limited broadcast 255.255.255.255
        }
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)
                || (a0 == 100 && a1 >= 64 && a1 <= 127)) {
            return Kind.PRIVATE; // RFC 1918, RFC 6598
        }
        int a2 = b[2] & 0xff;
        if ((a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) || (a0 == 198 && (a1 == 18 || a1 == 19))
                || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return Kind.RESERVED; // IETF assignments, documentation (RFC 5737), benchmarking (RFC 2544)
        }
        return Kind.PUBLIC;
    }

    private static Kind kind6(byte[] b) {
        boolean zero96 = true;
        for (int i = 0; i < 10; i++) {
            zero96 &= b[i] == 0;
        }
        if (zero96 && b[10] == 0 && b[11] == 0) {
            boolean lastZero = b[12] == 0 && b[13] == 0 && b[14] == 0;
            if (lastZero && b[15] == 0) {
                return Kind.UNSPECIFIED;
            }
            if (lastZero && b[15] == 1) {
                return Kind.LOOPBACK;
            }
            return kind4(tail(b, 12)); // IPv4-compatible ::a.b.c.d
        }
        if (zero96 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return kind4(tail(b, 12)); // IPv4-mapped ::ffff:a.b.c.d
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return kind4(tail(b, 12)); // NAT64 64:ff9b::/96 reaches the embedded IPv4 address
        }
        if (b0 == 0x20 && b1 == 0x02) {
            return kind4(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4 2002::/16
        }
        if (b0 == 0xff) {
            return Kind.MULTICAST;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Kind.LINK_LOCAL; // fe80::/10
        }
        if ((b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0xc0)) {
            return Kind.PRIVATE; // RFC 4193 fc00::/7, and the deprecated site-local fec0::/10
        }
        if (b0 == 0x20 && b1 == 0x01 && (((b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) || (b[2] == 0 && b[3] == 0))) {
            return Kind.RESERVED; // documentation 2001:db8::/32, Teredo 2001::/32
        }
        if (b0 == 0x01 && b1 == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return Kind.RESERVED; // discard-only 100::/64
        }
        return Kind.PUBLIC;
    }

    private static byte[] tail(byte[] b, int from) {
        return java.util.Arrays.copyOfRange(b, from, b.length);
    }

    /** One network of {@code --acme-allow-networks}. */
    record Cidr(byte[] network, int prefix, String text) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (!Addresses.isLiteral(address)) {
                throw new IllegalArgumentException("acme-allow-networks: '" + text + "' is not an address/prefix (CIDR)");
            }
            byte[] bytes = Addresses.literal(address).getAddress();
            int bits = bytes.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("acme-allow-networks: '" + text + "' has no prefix length from 0 to " + bits);
            }
            return new Cidr(mask(bytes, prefix), prefix, text.toLowerCase(Locale.ROOT));
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            return a.length == network.length && java.util.Arrays.equals(mask(a, prefix), network);
        }

        private static byte[] mask(byte[] bytes, int prefix) {
            byte[] out = bytes.clone();
            for (int i = 0; i < out.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                out[i] &= (byte) (0xff << (8 - keep));
            }
            return out;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
