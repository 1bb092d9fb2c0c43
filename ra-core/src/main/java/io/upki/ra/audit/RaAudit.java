package io.upki.ra.audit;

import io.upki.pki.audit.AuditTrail;
import io.upki.ra.auth.Caller;
import java.math.BigInteger;
import java.time.Clock;

/**
 * The RA's audit events on its {@link AuditTrail}, each naming who acted: an API caller by its
 * certificate subject (with role and serial), an ACME account by its id, or a certificate's own key.
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

    /**
     * An API action by an authenticated caller (null when authentication itself failed).
     *
     * @param serial the certificate acted on, or null
     */
    public void api(Caller caller, String action, BigInteger serial, String result, Object... fields) {
        Object[] all = new Object[fields.length + 6];
        all[0] = "serial";
        all[1] = AuditTrail.serial(serial);
        all[2] = "role";
        all[3] = caller == null ? null : caller.role();
        all[4] = "caller_serial";
        all[5] = caller == null ? null : AuditTrail.serial(caller.serial());
        System.arraycopy(fields, 0, all, 6, fields.length);
        trail.record(caller == null ? "unauthenticated" : caller.subject(), action, result, all);
    }

    /** An event of {@code who} ({@link #account}, {@link #certificateKey} or a client address). */
    public void record(String who, String action, String result, Object... fields) {
        trail.record(who, action, result, fields);
    }

    @Override
    public void close() {
        trail.close();
    }
}
