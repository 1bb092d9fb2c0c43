package io.upki.ca.store;

import io.upki.pki.x509.RevocationReason;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One issued certificate as the CA stores it; the DER is the source of truth, the other columns are
 * indexed facts about it. Revocation fields are null while the certificate is not revoked; {@code generation}
 * is the issuing-key generation that signed it (1 until the CA rolls its key over, docs/KEYS.md).
 */
public record CertificateRecord(
        BigInteger serial,
        String commonName,
        String subjectDn,
        String subjectKey,
        String profile,
        Instant notBefore,
        Instant notAfter,
        Instant issuedAt,
        String fingerprint,
        byte[] der,
        String keyFile,
        Instant revokedAt,
        RevocationReason revocationReason,
        int generation) {

    /** A certificate of the first issuing-key generation (every certificate of a CA that never rolled over). */
    public CertificateRecord(BigInteger serial, String commonName, String subjectDn, String subjectKey, String profile,
                             Instant notBefore, Instant notAfter, Instant issuedAt, String fingerprint, byte[] der,
                             String keyFile, Instant revokedAt, RevocationReason revocationReason) {
        this(serial, commonName, subjectDn, subjectKey, profile, notBefore, notAfter, issuedAt, fingerprint, der,
                keyFile, revokedAt, revocationReason, 1);
    }

    public CertificateRecord {
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be 1 or more");
        }
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(subjectDn, "subjectDn");
        Objects.requireNonNull(subjectKey, "subjectKey");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(der, "der");
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expiredAt(Instant now) {
        return now.isAfter(notAfter);
    }
}
