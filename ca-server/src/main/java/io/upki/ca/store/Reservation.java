package io.upki.ca.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate made durable before its signature exists: the DER of its TBSCertificate (RFC 5280
 * section 4.1.2) and what the stored record needs besides the certificate itself. With a deterministic
 * CA signature the certificate can be signed again from this alone, byte for byte.
 *
 * @param digest the profile digest the TBS names (sha256, sha384 or sha512)
 * @param keyFile the CA-held key file of the certificate, or null
 */
public record Reservation(BigInteger serial, byte[] tbs, String digest, String profile, String keyFile, Instant issuedAt) {
    public Reservation {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(tbs, "tbs");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
