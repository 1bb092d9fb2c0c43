package io.upki.acme.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import io.upki.acme.validation.Addresses;
import io.upki.acme.validation.NetworkPolicy;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The identifiers a new order may name: {@code dns} names (RFC 8555 section 7.1.4, a wildcard only as
 * the whole first label, section 7.1.3) and {@code ip} addresses (RFC 8738), normalised so that the
 * CSR check can compare them exactly. An address validation may not connect to ({@link NetworkPolicy}:
 * loopback, link-local, private unless allowed, ...) is refused here, before any order exists.
 */
final class Identifiers {
    static final int MAX = 100;
    private static final Set<String> RESERVED = Set.of("localhost", "local", "invalid", "test");

    private Identifiers() {
    }

    static List<Identifier> parse(JsonNode list, NetworkPolicy networks) throws AcmeProblem {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new AcmeProblem(AcmeError.MALFORMED, "identifiers must be a non-empty array");
        }
        if (list.size() > MAX) {
            throw new AcmeProblem(AcmeError.REJECTED_IDENTIFIER, "at most " + MAX + " identifiers per order");
        }
        Set<Identifier> out = new LinkedHashSet<>();
        for (JsonNode n : list) {
            String type = n.path("type").asText("");
            String value = n.path("value").asText("");
            out.add(normalise(type, value, networks));
        }
        return List.copyOf(out);
    }

    static Identifier normalise(String type, String value, NetworkPolicy networks) throws AcmeProblem {
        if (Identifier.IP.equals(type)) {
            if (!Addresses.isLiteral(value)) {
                throw new AcmeProblem(AcmeError.MALFORMED, "ip identifier '" + shorten(value) + "' is not an IP address");
            }
            InetAddress address = Addresses.literal(value);
            if (!networks.permits(address)) {
                throw new AcmeProblem(AcmeError.REJECTED_IDENTIFIER, "ip identifier '" + address.getHostAddress()
                        + "' is a " + NetworkPolicy.kind(address) + " address, which this server does not validate");
            }
            return new Identifier(Identifier.IP, address.getHostAddress());
        }
        if (!Identifier.DNS.equals(type)) {
            throw new AcmeProblem(AcmeError.UNSUPPORTED_IDENTIFIER, "identifier type '" + shorten(type) + "' is not supported (dns, ip)");
        }
        String name = value.toLowerCase(Locale.ROOT);
        if (Addresses.isLiteral(name)) {
            throw new AcmeProblem(AcmeError.REJECTED_IDENTIFIER, "an IP address must be an ip identifier (RFC 8738)");
        }
        checkName(name.startsWith("*.") ? name.substring(2) : name, value);
        return new Identifier(Identifier.DNS, name);
    }

    /** RFC 1035 lengths, LDH labels, no reserved special-use names (RFC 6761). */
    private static void checkName(String name, String original) throws AcmeProblem {
        if (name.isEmpty() || name.length() > 253 || name.endsWith(".")) {
            throw rejected(original, "is not a valid DNS name");
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || !label.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
                throw rejected(original, "is not a valid DNS name");
            }
        }
        if (RESERVED.contains(name) || name.endsWith(".localhost") || name.endsWith(".invalid")) {
            throw rejected(original, "is a reserved name");
        }
    }

    private static AcmeProblem rejected(String value, String why) {
        return new AcmeProblem(AcmeError.REJECTED_IDENTIFIER, "'" + shorten(value) + "' " + why);
    }

    static String shorten(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
