package io.upki.ra.audit;

import io.upki.pki.audit.AuditTrail;
import java.time.Clock;

/**
 * The RA's audit events on its {@link AuditTrail}, each naming who acted: an API caller by its
 * certificate subject (ACME events go through the ACME server's own audit port on the same trail).
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

    /** The trail itself, for the ACME server's audit port ({@code io.upki.acme.audit.AcmeAudit}). */
    public AuditTrail trail() {
        return trail;
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
