package io.upki.ca.store;

import io.upki.pki.x509.RevocationReason;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Issued certificates and their revocation state. Every write is durable when the method returns. */
public interface CertificateRepository {

    /**
     * Stores a new certificate.
     *
     * @throws DuplicateSerialException when the serial is already taken (the caller draws another)
     */
    void insert(CertificateRecord record);

    Optional<CertificateRecord> findBySerial(BigInteger serial);

    /** The newest certificate with this CN, preferring one that is not revoked. */
    Optional<CertificateRecord> findByCommonName(String commonName);

    /** The newest certificate whose subject has this canonical key, preferring one not revoked. */
    Optional<CertificateRecord> findBySubjectKey(String subjectKey);

    /** Marks a certificate revoked; false when it already was (the first revocation is kept). */
    boolean revoke(BigInteger serial, RevocationReason reason, Instant at);

    /** Lifts a revocation; false when the certificate was not revoked. */
    boolean unrevoke(BigInteger serial);

    /** Every revoked certificate, for the CRL; cost grows with the number revoked, not stored. */
    List<RevokedEntry> revokedEntries();

    /** Certificates by issue time, oldest first. */
    List<CertificateRecord> list(int offset, int limit);

    long count();
}
