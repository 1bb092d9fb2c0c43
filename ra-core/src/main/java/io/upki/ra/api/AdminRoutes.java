package io.upki.ra.api;

import io.javalin.http.Context;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.x509.RevocationReason;
import io.upki.ra.auth.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The administrators' routes that are not about one certificate: who they are, the admin list, profiles, options. */
final class AdminRoutes {
    private final CaGateway ca;
    private final Bodies bodies;
    private final ApiAudit audit;

    AdminRoutes(CaGateway ca, Bodies bodies, ApiAudit audit) {
        this.ca = ca;
        this.bodies = bodies;
        this.audit = audit;
    }

    void health(Context ctx) {
        Caller caller = RaApi.caller(ctx);
        ctx.json(Map.of("status", "ok", "role", caller.role().wireName(), "subject", caller.subject()));
    }

    void admins(Context ctx) throws ApiException {
        ctx.json(ca.call(CertificateAuthorityClient::admins));
    }

    void addAdmin(Context ctx) throws ApiException {
        String dn = Requests.dn(Bodies.string(bodies.object(ctx, true), "dn", true, 1024));
        ca.run(c -> c.addAdmin(dn));
        audit.record(RaApi.caller(ctx), "add_admin", null, "ok", "dn", dn);
        ctx.status(201).json(Map.of("status", "ok", "dn", dn));
    }

    void removeAdmin(Context ctx) throws ApiException {
        String dn = Requests.dn(ctx.queryParam("dn"));
        ca.run(c -> c.removeAdmin(dn));
        audit.record(RaApi.caller(ctx), "remove_admin", null, "ok", "dn", dn);
        ctx.json(Map.of("status", "ok", "dn", dn));
    }

    /** Every profile by name, each as {@code get_profile} answers it. */
    void profiles(Context ctx) throws ApiException {
        Map<String, ProfileDocument> out = new LinkedHashMap<>();
        for (String name : ca.call(CertificateAuthorityClient::profileNames)) {
            out.put(name, ca.call(c -> c.profile(name)));
        }
        ctx.json(out);
    }

    void options(Context ctx) {
        ctx.json(Map.of("revocation_reasons", RevocationReason.wireNames(), "key_types", List.of("rsa", "ec"),
                "san_types", List.of("DNS", "IP", "EMAIL", "URI")));
    }
}
