package io.upki.ca.revoke;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.CertificateRepository;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.x509.RevocationReason;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Revokes and un-revokes stored certificates. Revoking twice keeps the first revocation (one CRL entry,
 * its original date and reason); only a certificateHold can be lifted (RFC 5280 section 5.3.1).
 */
public final class RevocationService {
    /** Told after a durable change and before it is acknowledged: the CRL's entry list, then the event feed. */
    public interface Listener {
        void revoked(CertificateRecord record, RevocationReason reason, Instant at);

        void unrevoked(CertificateRecord record);
    }

    private final CertificateRepository certificates;
    private final Clock clock;
    private final AuditLog audit;
    private final Listener listener;

    public RevocationService(CertificateRepository certificates, Clock clock, AuditLog audit, Listener listener) {
        this.certificates = certificates;
        this.clock = clock;
        this.audit = audit;
        this.listener = listener;
    }

    /** Parses a wire reason, case-insensitively; null or absent means unspecified. */
    public static RevocationReason parseReason(String reason) {
        if (reason == null) {
            return RevocationReason.UNSPECIFIED;
        }
        if (reason.isBlank()) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Revocation reason cannot be empty");
        }
        return RevocationReason.fromWireName(reason.strip()).orElseThrow(() -> new CaProtocolException(
                CaErrorCode.VALIDATION, "Invalid revocation reason: " + reason + ". Allowed values: "
                        + RevocationReason.wireNames().stream().map(n -> "'" + n + "'")
                        .collect(Collectors.joining(", ", "[", "]"))));
    }

    public void revoke(CertificateRecord record, RevocationReason reason) {
        if (reason == RevocationReason.REMOVE_FROM_CRL) {
            // removeFromCRL only exists in delta CRLs (RFC 5280 section 5.3.1); use unrevoke instead.
            throw new CaProtocolException(CaErrorCode.REVOCATION,
                    "removeFromCRL cannot be used to revoke; use unrevoke to lift a certificateHold");
        }
        Instant at = clock.instant();
        boolean changed = certificates.revoke(record.serial(), reason, at);
        audit.record("revoke", changed ? "ok" : "already-revoked", "serial", record.serial().toString(16),
                "subject", record.subjectDn(), "reason", reason.wireName());
        if (changed) {
            listener.revoked(record, reason, at);
        }
    }

    public void unrevoke(CertificateRecord record) {
        if (!record.revoked()) {
            throw new CaProtocolException(CaErrorCode.REVOCATION, "Certificate is not revoked: " + record.subjectDn());
        }
        if (record.revocationReason() != RevocationReason.CERTIFICATE_HOLD) {
            throw new CaProtocolException(CaErrorCode.REVOCATION, "Only a certificateHold can be lifted; "
                    + "this certificate was revoked for " + record.revocationReason().wireName());
        }
        boolean changed = certificates.unrevoke(record.serial());
        audit.record("unrevoke", changed ? "ok" : "not-revoked", "serial", record.serial().toString(16),
                "subject", record.subjectDn());
        if (changed) {
            listener.unrevoked(record);
        }
    }
}
