package io.upki.ra.audit;

import io.upki.pki.audit.AuditTrail;
import java.math.BigInteger;
import java.time.Clock;

/**
 * The RA's audit events on its {@link AuditTrail}, each naming who acted: an API caller by its
 * certificate subject, an ACME account by its id ({@link #account}), or a certificate's own key.
 * Events are recorded before the reply is sent. CSRs, keys and whole certificates are never passed here.
 */
public final class RaAudit implements AutoCloseable {
    private final AuditTrail trail;

    public RaAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /** Events on the {@code upki.audit} logger only (no {@code --audit-log}). */
    public static RaAudit logOnly(Clock clock) {
        return new RaAudit(AuditTrail.logOnly("ra-core", clock));
    }

    /** Who an ACME account is in the trail. */
    public static String account(String accountId) {
        return "acme-account:" + accountId;
    }

    /** Who a certificate's own key is, when it signs a revocation (RFC 8555 section 7.6). */
    public static String certificateKey(BigInteger serial) {
        return "certificate-key:" + AuditTrail.serial(serial);
    }

    /** An event of {@code who}; {@code fields} alternate name, value (a serial as {@link AuditTrail#serial}). */
    public void record(String who, String action, String result, Object... fields) {
        trail.record(who, action, result, fields);
    }

    /** The audit file ({@code --audit-log}), or null when events are only logged. */
    public java.nio.file.Path path() {
        return trail.path();
    }

    @Override
    public void close() {
        trail.close();
    }
}
