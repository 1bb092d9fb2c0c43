package io.upki.publisher.ocsp;

import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.wire.CertificateStatus;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status of a serial: revoked when the CRL in force lists it; good only when the CA's store says it
 * issued it (asked once with {@code ocsp_check}, then remembered: issuance is permanent); unknown
 * otherwise (RFC 6960 section 2.2). When the CA cannot be asked, a serial the CRL does not list has no
 * answer: the responder says tryLater rather than guess "good".
 */
public final class StatusLookup {
    private static final Logger LOG = LoggerFactory.getLogger(StatusLookup.class);
    /** RFC 5280 section 4.1.2.2: serials are at most 20 octets. */
    private static final int MAX_SERIAL_BITS = 20 * 8;

    /** What RFC 6960 section 4.2.1's CertStatus says, with the RevokedInfo of a revoked serial. */
    public record Status(Kind kind, Instant revokedAt, int reason) {
        public static final Status GOOD = new Status(Kind.GOOD, null, -1);
        public static final Status UNKNOWN = new Status(Kind.UNKNOWN, null, -1);
    }

    /** good, revoked or unknown. */
    public enum Kind { GOOD, REVOKED, UNKNOWN }

    /** The CA could not be asked about a serial the CRL does not settle. */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message);
        }
    }

    private final CertificateAuthorityClient ca;
    private final int capacity;
    private final Semaphore lookups;
    /** Serials the CA issued, with the revocation it reported (null when it reported none). */
    private final ConcurrentHashMap<BigInteger, Status> issued = new ConcurrentHashMap<>();
    private final LongAdder caLookups = new LongAdder();

    /**
     * @param capacity most serials remembered (beyond it the CA is asked again)
     * @param concurrentLookups most {@code ocsp_check} calls in flight, so a flood of unknown serials cannot
     *     swamp the CA; a request beyond it is answered tryLater
     */
    public StatusLookup(CaClient ca, int capacity, int concurrentLookups) {
        this.ca = new TypedCaClient(ca);
        this.capacity = capacity;
        this.lookups = new Semaphore(concurrentLookups);
    }

    /** The status of {@code serial} under {@code crl}, the CRL being published. */
    public Status status(BigInteger serial, CrlSnapshot crl) throws UnavailableException {
        if (serial.signum() <= 0 || serial.bitLength() > MAX_SERIAL_BITS) {
            return Status.UNKNOWN; // this CA never issues such a serial (RFC 5280 section 4.1.2.2)
        }
        boolean listed = crl.revokes(serial);
        Status known = issued.get(serial);
        if (known != null && listed == (known.kind() == Kind.REVOKED)) {
            return known;
        }
        // Not known yet, or the CRL and what the CA said earlier disagree (revoked since, or put off hold).
        Status fromCa = askCa(serial, listed);
        if (fromCa == null) {
            if (listed) {
                return fromCrl(serial, crl);
            }
            throw new UnavailableException("the CA did not answer ocsp_check");
        }
        if (fromCa.kind() == Kind.UNKNOWN) {
            // Not the CA's, yet on its CRL: fail closed and say revoked, as the signed CRL does.
            return listed ? fromCrl(serial, crl) : Status.UNKNOWN;
        }
        if (issued.size() < capacity) {
            issued.put(serial, fromCa);
        }
        if (listed && fromCa.kind() == Kind.GOOD) {
            // The CA says good but the CRL in force says revoked: the CRL holds until a newer one replaces it.
            return fromCrl(serial, crl);
        }
        // Revoked at the CA but not on this CRL yet (the next CRL is moments away): the CA is the fresher.
        return fromCa;
    }

    /** The CA's answer, or null when it could not be asked. */
    private Status askCa(BigInteger serial, boolean listed) {
        if (!lookups.tryAcquire()) {
            LOG.warn("too many OCSP status lookups at the CA in flight; serial {} not looked up", serial.toString(16));
            return null;
        }
        try {
            caLookups.increment();
            CertificateStatus answer = ca.status(serial);
            return switch (String.valueOf(answer.status())) {
                case "good", "expired" -> Status.GOOD;
                case "revoked" -> revoked(answer);
                default -> Status.UNKNOWN;
            };
        } catch (CaClientException e) {
            if (e.kind() == CaClientException.Kind.REJECTED) {
                return Status.UNKNOWN; // the CA refuses the serial itself: it cannot be one it issued
            }
            LOG.warn("ocsp_check for serial {} failed: {}{}", serial.toString(16), e.getMessage(),
                    listed ? " (answering from the CRL)" : "");
            return null;
        } finally {
            lookups.release();
        }
    }

    private static Status revoked(CertificateStatus answer) {
        Instant at;
        try {
            at = OffsetDateTime.parse(String.valueOf(answer.revokeDate())).toInstant();
        } catch (DateTimeParseException e) {
            at = Instant.EPOCH; // RFC 6960 requires a time; a revocation with an unreadable one is still one
        }
        int reason = RevocationReason.fromWireName(String.valueOf(answer.revokeReason()))
                .map(RevocationReason::code).orElse(CRLReason.unspecified);
        return new Status(Kind.REVOKED, at, reason);
    }

    /** The CRL entry's date and reason (RFC 5280 section 5.3.1); the CRL is signed, so it is believed. */
    static Status fromCrl(BigInteger serial, CrlSnapshot crl) {
        try {
            X509CRLEntryHolder entry = new X509CRLHolder(crl.der()).getRevokedCertificate(serial);
            if (entry == null) {
                return new Status(Kind.REVOKED, crl.thisUpdate(), CRLReason.unspecified);
            }
            int reason = CRLReason.unspecified;
            if (entry.getExtensions() != null && entry.getExtensions().getExtension(Extension.reasonCode) != null) {
                reason = CRLReason.getInstance(entry.getExtensions().getExtensionParsedValue(Extension.reasonCode))
                        .getValue().intValue();
            }
            return new Status(Kind.REVOKED, entry.getRevocationDate().toInstant(), reason);
        } catch (IOException | RuntimeException e) {
            return new Status(Kind.REVOKED, crl.thisUpdate(), CRLReason.unspecified);
        }
    }

    public long caLookupCount() {
        return caLookups.sum();
    }
}
