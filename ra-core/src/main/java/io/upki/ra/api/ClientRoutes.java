package io.upki.ra.api;

import io.javalin.http.Context;
import io.upki.pki.audit.AuditTrail;
import io.upki.pki.caclient.RevocationRequest;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.SignedCertificate;
import io.upki.ra.auth.Caller;
import java.util.Map;

/** The routes a client certificate may call about itself: view, renew with a CSR, revoke. */
final class ClientRoutes {
    private final CaGateway ca;
    private final Bodies bodies;
    private final ApiAudit audit;

    ClientRoutes(CaGateway ca, Bodies bodies, ApiAudit audit) {
        this.ca = ca;
        this.bodies = bodies;
        this.audit = audit;
    }

    void certificate(Context ctx) throws ApiException {
        Caller caller = RaApi.caller(ctx);
        ctx.json(ca.call(c -> c.view(Requests.own(caller))));
    }

    /**
     * One CA task ({@code renew_csr}) checks that the caller's certificate is valid and not revoked, that
     * the CSR asks for exactly its subject and names, issues with its profile and revokes it as
     * superseded: the RA cannot be talked into other names, and no step can run without the others.
     */
    void renew(Context ctx) throws ApiException {
        Caller caller = RaApi.caller(ctx);
        String csr = Bodies.string(bodies.object(ctx, true), "csr", true, Requests.MAX_CSR);
        Requests.checkCsr(csr);
        // The Python uPKI CA has no renew_csr ([700] Unknown task), and its sign would copy whatever
        // names the CSR asks for: no renewal rather than an unchecked one.
        SignedCertificate issued = ca.call(c -> c.renewWithCsr(Requests.own(caller), csr), CaErrorCode.COMMUNICATION,
                new ApiException(501, "client renewal needs a CA with the renew_csr task (upki's ca-server)"));
        // The CA revoked the old certificate as superseded (RFC 5280 section 5.3.1) in the same task.
        audit.record(caller, "client-renew", issued.serial(), "ok", "superseded", AuditTrail.serial(caller.serial()));
        ctx.status(201).json(issued);
    }

    void revoke(Context ctx) throws ApiException {
        Caller caller = RaApi.caller(ctx);
        String reason = Requests.reason(bodies.object(ctx, false));
        ca.run(c -> c.revoke(new RevocationRequest(Requests.own(caller), reason)));
        audit.record(caller, "client-revoke", caller.serial(), "ok", "reason", reason);
        ctx.json(Map.of("status", "ok", "revoked", true));
    }
}
