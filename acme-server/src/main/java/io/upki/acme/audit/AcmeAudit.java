package io.upki.acme.audit;

import io.upki.pki.audit.AuditTrail;
import java.math.BigInteger;
import java.time.Clock;

/**
 * The ACME server's audit port on the host process's {@link AuditTrail}: accounts, issuance and
 * revocation, each naming who acted (an account by its id, or a certificate's own key). Events are
 * recorded before the reply is sent; CSRs, keys and whole certificates are never passed here.
 */
public final class AcmeAudit {
    private final AuditTrail trail;

    public AcmeAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /** Events on the {@code upki.audit} logger only, under the source {@code source}. */
    public static AcmeAudit logOnly(String source, Clock clock) {
        return new AcmeAudit(AuditTrail.logOnly(source, clock));
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
}
