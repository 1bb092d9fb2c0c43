package io.upki.ca.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * uPKI's seven built-in profiles with the exact values of CA-PROTOCOL.md section 7, then upki's own:
 * {@code ocsp} for delegated OCSP responders (RFC 6960 section 4.2.2.2) and {@code proxy}.
 */
public final class BuiltInProfiles {
    /** The profile of delegated OCSP signing certificates. */
    public static final String OCSP = "ocsp";

    private BuiltInProfiles() {
    }

    /** The built-ins in uPKI's {@code list_profiles} order. */
    public static Map<String, Profile> all() {
        Map<String, Profile> p = new LinkedHashMap<>();
        put(p, new Profile("ca", "rsa", 4096, 3650, "sha256", false, "",
                subject("FR", "uPKI", "CA", "uPKI Root CA"), List.of("keyCertSign", "cRLSign"), List.of(), "sslCA", 0, null));
        put(p, new Profile("ra", "rsa", 4096, 365, "sha256", true, "",
                subject("FR", "uPKI", "RA", null), List.of("digitalSignature", "keyEncipherment"),
                List.of("serverAuth", "clientAuth"), "sslCA", null, null));
        put(p, new Profile("server", "rsa", 4096, 60, "sha256", true, "",
                subject("FR", "Company", "Servers", ""), List.of("digitalSignature", "keyEncipherment"),
                List.of("serverAuth"), "server", null, null));
        put(p, new Profile("webapp", "rsa", 4096, 60, "sha256", true, "",
                subject("FR", "Company", "WebApps", ""), List.of("digitalSignature", "keyEncipherment"),
                List.of("serverAuth", "clientAuth"), "server", null, null));
        put(p, new Profile("laptop", "rsa", 4096, 30, "sha256", true, "",
                subject("FR", "Company", "Users", ""), List.of("digitalSignature", "nonRepudiation"),
                List.of("clientAuth", "emailProtection"), "user", null, null));
        put(p, new Profile("user", "rsa", 2048, 30, "sha256", true, "",
                subject("FR", "Company", "Users", ""), List.of("digitalSignature", "nonRepudiation"),
                List.of("clientAuth"), "user", null, null));
        put(p, new Profile("admin", "rsa", 4096, 365, "sha256", true, "",
                subject("FR", "Company", "Admins", ""), List.of("digitalSignature", "nonRepudiation"),
                List.of("clientAuth"), "user", null, Profile.ROLE_ADMIN));
        // A delegated OCSP signer: short-lived because it carries id-pkix-ocsp-nocheck (RFC 6960 section
        // 4.2.2.2.1), so clients never check its own revocation; its key is made by the responder.
        put(p, new Profile(OCSP, "ec", 256, 7, "sha256", false, "",
                subject("FR", "uPKI", "OCSP", null), List.of("digitalSignature"), List.of("OCSPSigning"), "ocsp", null, null));
        // upki's own: the proxy's TLS client certificate towards the auth-sidecar and ra-core's edge
        // listener (issue #16 M1). EC for cheap handshakes; a server certificate's lifetime.
        put(p, new Profile("proxy", "ec", 256, 60, "sha256", true, "",
                subject("FR", "uPKI", "Proxies", ""), List.of("digitalSignature"),
                List.of("clientAuth"), "user", null, Profile.ROLE_PROXY));
        return p;
    }

    private static void put(Map<String, Profile> map, Profile profile) {
        map.put(profile.name(), profile.validate());
    }

    private static Map<String, String> subject(String c, String o, String ou, String cn) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("C", c);
        s.put("O", o);
        s.put("OU", ou);
        if (cn != null) {
            s.put("CN", cn);
        }
        return s;
    }
}
