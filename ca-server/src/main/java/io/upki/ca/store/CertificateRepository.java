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

    /**
     * Durably records a certificate about to be signed, so that the signature and the final insert can
     * follow without a second fsync ({@link #complete}).
     *
     * @throws DuplicateSerialException when the serial is already taken or reserved
     */
    void reserve(Reservation reservation);

    /**
     * Stores the signed certificate of a reservation with a commit that survives a process crash; after
     * a power loss it may be missing, and {@link #reservations()} still lists it, so the CA signs it
     * again on start. The reservation itself is dropped once that can no longer happen.
     */
    void complete(CertificateRecord record);

    /** Drops a reservation whose certificate will not be issued (its signing failed). */
    void release(BigInteger serial);

    /** Reservations not yet dropped: after a crash, those whose certificate may be missing. */
    List<Reservation> reservations();

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

    /** The revoked certificates signed by issuing-key {@code generation} (its CRL's entries). */
    List<RevokedEntry> revokedEntries(int generation);

    /** The latest notAfter of the certificates {@code generation} signed; empty when it signed none. */
    Optional<Instant> lastNotAfter(int generation);

    /** Certificates by issue time, oldest first. */
    List<CertificateRecord> list(int offset, int limit);

    long count();

    /** The certificates {@code search} matches, by issue time, oldest first. */
    List<CertificateRecord> search(CertificateSearch search, int offset, int limit);

    /** How many certificates {@code search} matches. */
    long count(CertificateSearch search);
}
