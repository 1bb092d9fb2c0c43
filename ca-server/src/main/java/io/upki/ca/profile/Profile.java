package io.upki.ca.profile;

import io.upki.pki.wire.ProfileDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated certificate profile: key type and size for CA-side keys, validity, digest, subject
 * defaults, key usages and extended key usages.
 */
public record Profile(
        String name,
        String keyType,
        int keyLen,
        int durationDays,
        String digest,
        boolean altnames,
        String domain,
        Map<String, String> subject,
        List<String> keyUsage,
        List<String> extendedKeyUsage,
        String certType,
        Integer pathLen,
        String role) {

    /** Role of an administrator certificate: the CA writes upki's admin policy OID into it. */
    public static final String ROLE_ADMIN = "admin";
    /** Role of an auth-sidecar's assertion-signing certificate. */
    public static final String ROLE_SIDECAR = "sidecar";
    /** Role of a proxy's TLS client certificate towards the auth-sidecar and ra-core's edge listener. */
    public static final String ROLE_PROXY = "proxy";

    /** Subject attributes a profile may set, in the order uPKI writes them (C, ST, L, O, OU, CN). */
    public static final List<String> SUBJECT_ORDER = List.of("C", "ST", "L", "O", "OU", "CN");
    private static final Set<String> DIGESTS = Set.of("sha256", "sha384", "sha512");

    public Profile {
        subject = Map.copyOf(subject);
        keyUsage = List.copyOf(keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
    }

    /**
     * Checks every field, naming the first offending one.
     *
     * @throws IllegalArgumentException with a message such as {@code keyLen: 1024 is not one of [2048, 3072, 4096]}
     */
    public Profile validate() {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("name: must be 1-64 letters, digits, '-' or '_'");
        }
        switch (keyType) {
            case "rsa" -> {
                if (!List.of(2048, 3072, 4096).contains(keyLen)) {
                    throw new IllegalArgumentException("keyLen: " + keyLen + " is not one of [2048, 3072, 4096] for rsa");
                }
            }
            case "ec" -> {
                if (!List.of(256, 384, 521).contains(keyLen)) {
                    throw new IllegalArgumentException("keyLen: " + keyLen + " is not one of [256, 384, 521] for ec");
                }
            }
            default -> throw new IllegalArgumentException("keyType: '" + keyType + "' is not one of [rsa, ec]");
        }
        if (durationDays < 1 || durationDays > 36_500) {
            throw new IllegalArgumentException("duration: " + durationDays + " days is outside 1..36500");
        }
        if (!DIGESTS.contains(digest)) {
            throw new IllegalArgumentException("digest: '" + digest + "' is not one of " + DIGESTS);
        }
        for (String key : subject.keySet()) {
            if (!SUBJECT_ORDER.contains(key)) {
                throw new IllegalArgumentException("subject: unknown attribute '" + key + "', use " + SUBJECT_ORDER);
            }
        }
        for (String ku : keyUsage) {
            if (!Usages.KEY_USAGES.containsKey(ku)) {
                throw new IllegalArgumentException("keyUsage: unknown '" + ku + "', use " + Usages.KEY_USAGES.keySet());
            }
        }
        if (keyUsage.isEmpty()) {
            throw new IllegalArgumentException("keyUsage: at least one key usage is required");
        }
        for (String eku : extendedKeyUsage) {
            if (!Usages.EXTENDED_KEY_USAGES.containsKey(eku)) {
                throw new IllegalArgumentException("extendedKeyUsage: unknown '" + eku + "', use "
                        + Usages.EXTENDED_KEY_USAGES.keySet());
            }
        }
        if (role != null && !role.equals(ROLE_ADMIN) && !role.equals(ROLE_SIDECAR) && !role.equals(ROLE_PROXY)) {
            throw new IllegalArgumentException("role: '" + role + "' is not one of [admin, sidecar, proxy]");
        }
        if (ROLE_PROXY.equals(role) && !extendedKeyUsage.equals(List.of("clientAuth"))) {
            // The proxy certificate opens the sidecar and the RA's edge port: it must be a TLS client
            // certificate and nothing else (no server, no e-mail identity).
            throw new IllegalArgumentException("extendedKeyUsage: a proxy profile must have exactly [clientAuth]");
        }
        if (ROLE_SIDECAR.equals(role) && !extendedKeyUsage.isEmpty()) {
            // A signing identity must not double as a TLS client or server certificate.
            throw new IllegalArgumentException("extendedKeyUsage: a sidecar profile must not have any");
        }
        if (domain != null && !domain.isEmpty()
                && !domain.matches("\\.?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
            // The domain confines every name the profile certifies (issue/DomainRule); a typo must not pass.
            throw new IllegalArgumentException("domain: '" + domain + "' is not a DNS domain");
        }
        if (pathLen != null && pathLen < 0) {
            throw new IllegalArgumentException("pathLen: must not be negative");
        }
        return this;
    }

    /** True when the profile makes CA certificates (RFC 5280 section 4.2.1.9: keyCertSign needs cA). */
    public boolean isCa() {
        return keyUsage.contains("keyCertSign");
    }

    /** The subject defaults in uPKI's attribute order. */
    public LinkedHashMap<String, String> orderedSubject() {
        LinkedHashMap<String, String> ordered = new LinkedHashMap<>();
        for (String key : SUBJECT_ORDER) {
            String value = subject.get(key);
            if (value != null) {
                ordered.put(key, value);
            }
        }
        return ordered;
    }

    /** The profile as {@code get_profile} returns it. */
    public ProfileDocument toDocument() {
        return new ProfileDocument(keyType, keyLen, durationDays, digest, altnames, domain, orderedSubject(),
                new ArrayList<>(keyUsage), new ArrayList<>(extendedKeyUsage), certType, pathLen, null);
    }

    /** Builds a profile from a document (a YAML file), with uPKI's defaults for omitted keys. */
    public static Profile fromDocument(String name, ProfileDocument d) {
        return new Profile(name,
                d.keyType() == null ? "rsa" : d.keyType(),
                d.keyLen() == 0 ? 4096 : d.keyLen(),
                d.duration(),
                d.digest() == null ? "sha256" : d.digest(),
                d.altnames(),
                d.domain() == null ? "" : d.domain(),
                d.subject() == null ? Map.of() : d.subject(),
                d.keyUsage() == null ? List.of() : d.keyUsage(),
                d.extendedKeyUsage() == null ? List.of() : d.extendedKeyUsage(),
                d.certType() == null ? "user" : d.certType(),
                d.pathLen(),
                d.role());
    }
}
