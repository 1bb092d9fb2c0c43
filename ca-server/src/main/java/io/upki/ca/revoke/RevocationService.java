package io.upki.ca.revoke;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.CertificateRepository;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.x509.RevocationReason;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Revokes and un-revokes stored certificates. Revoking twice keeps the first revocation (one CRL entry,
 * its original date and reason); only a certificateHold can be lifted (RFC 5280 section 5.3.1).
 */
public final class RevocationService {
    private static final Pattern CODE = Pattern.compile("[+-]?[0-9]+");

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

    /**
     * Parses a wire reason: a name, case-insensitively, or an RFC 5280 section 5.3.1 reasonCode (0-6, 8-10;
     * upki-ra's ACME endpoint sends RFC 8555's numeric reason as {@code "0"}); null or absent means unspecified.
     */
    public static RevocationReason parseReason(String reason) {
        if (reason == null) {
            return RevocationReason.UNSPECIFIED;
        }
        if (reason.isBlank()) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Revocation reason cannot be empty");
        }
        String text = reason.strip();
        if (CODE.matcher(text).matches()) {
            return fromCode(text);
        }
        return RevocationReason.fromWireName(text).orElseThrow(() -> new CaProtocolException(
                CaErrorCode.VALIDATION, "Invalid revocation reason: " + reason + ". Allowed values: "
                        + RevocationReason.wireNames().stream().map(n -> "'" + n + "'")
                        .collect(Collectors.joining(", ", "[", "]"))));
    }

    private static RevocationReason fromCode(String text) {
        // Up to four characters ("+10", "-1"): anything longer is no reasonCode, and is not parsed at all.
        Optional<RevocationReason> reason = text.length() <= 4
                ? RevocationReason.fromCode(Integer.parseInt(text)) : Optional.empty();
        // reasonCode 7 is unassigned in RFC 5280 section 5.3.1, so fromCode has no value for it.
        return reason.orElseThrow(() -> new CaProtocolException(CaErrorCode.VALIDATION, "Invalid revocation reason: "
                + (text.length() <= 20 ? text : text.substring(0, 20) + "...")
                + ". Reason codes (RFC 5280 section 5.3.1) are 0-6 and 8-10; names: "
                + String.join(", ", RevocationReason.wireNames())));
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
