package io.upki.acme.config;

import io.upki.pki.process.ProcessRunner;
import io.upki.acme.db.StoreLocation;
import io.upki.acme.validation.NetworkPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated ACME settings of an ra-core.
 *
 * @param enabled serve {@code /acme/} at all
 * @param profile the CA profile ACME certificates are signed under (default {@code server})
 * @param httpPort the port http-01 validation connects to (RFC 8555 section 8.3 says 80)
 * @param tlsPort the port tls-alpn-01 validation connects to (RFC 8737 section 3 says 443)
 * @param dns {@code host:port} of the DNS server for identifiers and TXT records, or null for the system resolver
 * @param eabKeys External Account Binding MAC keys by key identifier (RFC 8555 section 7.3.4); empty
 *     lets anyone register
 * @param orderLifetime how long an order stays usable
 * @param authzLifetime how long a pending authorization stays usable
 * @param nonceLifetime how long an unused nonce is accepted
 * @param baseUrl the external base URL ({@code https://ra.example:8000}) when a proxy changes it, or null
 *     to build URLs from the request
 * @param networks the addresses validation may connect to (and {@code ip} identifiers may name): public
 *     ones, plus the networks of {@code --acme-allow-networks}; loopback, link-local and the like only
 *     when a named network covers them ({@link NetworkPolicy#publicOnly()} when null)
 * @param store where the ACME state lives: a shared PostgreSQL database for replicated ra-cores, or
 *     null for {@code acme.db} in the host's data directory
 */
public record AcmeSettings(boolean enabled, String profile, int httpPort, int tlsPort, String dns,
                           Map<String, byte[]> eabKeys, Duration orderLifetime, Duration authzLifetime,
                           Duration nonceLifetime, String baseUrl, NetworkPolicy networks, StoreLocation store) {
    private static final Duration MAX_LIFETIME = Duration.ofDays(30);

    public AcmeSettings {
        if (profile == null || !profile.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("acme-profile: '" + profile + "' is not a profile name");
        }
        if (httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException("acme-http-port: " + httpPort + " is not a TCP port");
        }
        if (tlsPort < 1 || tlsPort > 65535) {
            throw new IllegalArgumentException("acme-tls-port: " + tlsPort + " is not a TCP port");
        }
        if (dns != null && dns.isBlank()) {
            dns = null;
        }
        if (dns != null) {
            dnsServer(dns);
        }
        lifetime("acme-order-lifetime", orderLifetime);
        lifetime("acme-authz-lifetime", authzLifetime);
        lifetime("acme-nonce-lifetime", nonceLifetime);
        eabKeys = eabKeys == null ? Map.of() : Map.copyOf(eabKeys);
        for (Map.Entry<String, byte[]> e : eabKeys.entrySet()) {
            // HS256 needs a key of at least 256 bits (RFC 7518 section 3.2).
            if (e.getValue().length < 32) {
                throw new IllegalArgumentException("acme-eab: the key of '" + e.getKey() + "' is shorter than 256 bits");
            }
        }
        networks = networks == null ? NetworkPolicy.publicOnly() : networks;
        if (baseUrl != null && baseUrl.isBlank()) {
            baseUrl = null;
        }
        if (baseUrl != null) {
            URI u = URI.create(baseUrl);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                    || !(u.getPath() == null || u.getPath().isEmpty()) || u.getQuery() != null) {
                throw new IllegalArgumentException("acme-base-url: must be scheme://host[:port] without a path");
            }
        }
    }

    /** The settings with the store in the host's data directory. */
    public AcmeSettings(boolean enabled, String profile, int httpPort, int tlsPort, String dns,
                        Map<String, byte[]> eabKeys, Duration orderLifetime, Duration authzLifetime,
                        Duration nonceLifetime, String baseUrl, NetworkPolicy networks) {
        this(enabled, profile, httpPort, tlsPort, dns, eabKeys, orderLifetime, authzLifetime, nonceLifetime, baseUrl,
                networks, null);
    }

    /** The same settings with the state at {@code location}. */
    public AcmeSettings withStore(StoreLocation location) {
        return new AcmeSettings(enabled, profile, httpPort, tlsPort, dns, eabKeys, orderLifetime, authzLifetime,
                nonceLifetime, baseUrl, networks, location);
    }

    /** Where the state lives, given the host's data directory. */
    public StoreLocation storeIn(Path dataDir) {
        return store != null ? store : StoreLocation.sqlite(dataDir.resolve("acme.db"));
    }

    /** The settings with validation of public addresses only. */
    public AcmeSettings(boolean enabled, String profile, int httpPort, int tlsPort, String dns,
                        Map<String, byte[]> eabKeys, Duration orderLifetime, Duration authzLifetime,
                        Duration nonceLifetime, String baseUrl) {
        this(enabled, profile, httpPort, tlsPort, dns, eabKeys, orderLifetime, authzLifetime, nonceLifetime, baseUrl,
                null, null);
    }

    /**
     * ACME on, profile {@code server}, ports 80 and 443, the system resolver, no EAB, lifetimes of a day and an
     * hour, validation of public addresses only.
     */
    public static AcmeSettings defaults() {
        return new AcmeSettings(true, "server", 80, 443, null, Map.of(), Duration.ofDays(1), Duration.ofDays(1),
                Duration.ofHours(1), null);
    }

    public boolean externalAccountRequired() {
        return !eabKeys.isEmpty();
    }

    /**
     * EAB keys from {@code kid=base64urlKey,...}, or from a file named {@code @path} with one
     * {@code kid=key} per line (keeps keys off the command line).
     */
    public static Map<String, byte[]> parseEab(String spec) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return keys;
        }
        String text = spec.strip();
        if (text.startsWith("@")) {
            try {
                text = Files.readString(Path.of(text.substring(1)), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("acme-eab: cannot read " + text.substring(1) + ": " + e.getMessage());
            }
        }
        for (String entry : text.split("[,\\n]")) {
            String e = entry.strip();
            if (e.isEmpty() || e.startsWith("#")) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("acme-eab: expected kid=base64url-key, got '" + e.split("=")[0] + "...'");
            }
            try {
                keys.put(e.substring(0, eq).strip(), Base64.getUrlDecoder().decode(e.substring(eq + 1).strip()));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("acme-eab: the key of '" + e.substring(0, eq) + "' is not base64url");
            }
        }
        return keys;
    }

    /** The DNS server of {@code --acme-dns}: {@code host:port} (or {@code [v6]:port}) with a port from 1. */
    public static ProcessRunner.HostPort dnsServer(String value) {
        ProcessRunner.HostPort hp = ProcessRunner.hostPort("acme-dns", value);
        if (hp.port() < 1) {
            throw new IllegalArgumentException("acme-dns: '" + value + "' has no valid port");
        }
        return hp;
    }

    private static void lifetime(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException(name + ": must be between 1 s and 30 days");
        }
    }
}
