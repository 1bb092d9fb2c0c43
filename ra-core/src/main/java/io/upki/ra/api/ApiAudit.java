package io.upki.ra.api;

import io.javalin.http.Context;
import io.upki.pki.audit.AuditTrail;
import io.upki.ra.audit.RaAudit;
import io.upki.ra.auth.Caller;
import java.math.BigInteger;

/** The API's (and the console's) lines in the audit trail: every state change with its caller, every refusal. */
public final class ApiAudit {
    private final RaAudit audit;

    public ApiAudit(RaAudit audit) {
        this.audit = audit;
    }

    /**
     * A refused request: every refused change (any method but GET and HEAD) and every refused
     * authentication or role (401, 403), with who was refused when that is known and the reason given.
     */
    void refusal(Context ctx, ApiException e) {
        String method = ctx.method().name();
        boolean change = !method.equals("GET") && !method.equals("HEAD");
        if (!change && e.status() != 401 && e.status() != 403) {
            return;
        }
        record(RaApi.caller(ctx), method + " " + ctx.path(), null, "refused", "status", e.status(),
                "reason", e.getMessage(), "client_ip", ctx.ip());
    }

    /** An API event of {@code caller} (null when authentication itself failed) about certificate {@code serial}. */
    public void record(Caller caller, String action, BigInteger serial, String result, Object... fields) {
        Object[] all = new Object[fields.length + 6];
        all[0] = "serial";
        all[1] = AuditTrail.serial(serial);
        all[2] = "role";
        all[3] = caller == null ? null : caller.role().wireName();
        all[4] = "caller_serial";
        all[5] = caller == null ? null : AuditTrail.serial(caller.serial());
        System.arraycopy(fields, 0, all, 6, fields.length);
        audit.record(caller == null ? "unauthenticated" : caller.subject(), action, result, all);
    }
}
