package io.upki.pki.trust;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A validated path, leaf first and trust anchor last: {@code certificates.get(i)} was signed by
 * {@code certificates.get(i + 1)}.
 */
public record VerifiedPath(List<X509Certificate> certificates) {
    public VerifiedPath {
        certificates = List.copyOf(certificates);
    }

    public X509Certificate leaf() {
        return certificates.get(0);
    }

    public X509Certificate anchor() {
        return certificates.get(certificates.size() - 1);
    }

    /** The certificates whose revocation must be checked: all but the anchor. */
    public List<X509Certificate> revocable() {
        return certificates.subList(0, certificates.size() - 1);
    }
}
