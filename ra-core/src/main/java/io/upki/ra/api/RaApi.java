package io.upki.ra.api;

import static io.upki.ra.api.ApiRole.ADMIN;
import static io.upki.ra.api.ApiRole.CLIENT;
import static io.upki.ra.api.ApiRole.PUBLIC;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.ra.audit.RaAudit;
import io.upki.ra.auth.Authenticator;
import io.upki.ra.auth.Caller;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The route table of the RA: one line per route with the role it needs ({@link ApiRole}), checked once
 * before the matched route's handler; the handlers live in one class per feature (public, certificates,
 * admins, client). Errors map to answers here, CA errors in {@link CaGateway}.
 */
public final class RaApi {
    private static final String CALLER = "upki.caller";

    private final Authenticator authenticator;
    private final ApiAudit audit;
    private final PublicRoutes pub;
    private final CertificateRoutes certificates;
    private final AdminRoutes admins;
    private final ClientRoutes client;

    /** @param publisher base URL of the crl-publisher told after a CRL regeneration, or null */
    public RaApi(CaClient ca, Authenticator authenticator, int maxBodyBytes, String publisher, byte[] openApi) {
        this(ca, authenticator, maxBodyBytes, publisher, openApi, RaAudit.logOnly(java.time.Clock.systemUTC()));
    }

    /** Like the constructor above, recording every state change and refusal in {@code audit}. */
    public RaApi(CaClient ca, Authenticator authenticator, int maxBodyBytes, String publisher, byte[] openApi,
                 RaAudit audit) {
        this(new TypedCaClient(ca), authenticator, maxBodyBytes, publisher, openApi, audit);
    }

    /** The API over the typed CA client. */
    public RaApi(CertificateAuthorityClient ca, Authenticator authenticator, int maxBodyBytes, String publisher,
                 byte[] openApi, RaAudit audit) {
        CaGateway gateway = new CaGateway(ca);
        Bodies bodies = new Bodies(maxBodyBytes);
        this.authenticator = authenticator;
        this.audit = new ApiAudit(audit);
        this.pub = new PublicRoutes(gateway, openApi);
        this.certificates = new CertificateRoutes(gateway, bodies, this.audit, publisher);
        this.admins = new AdminRoutes(gateway, bodies, this.audit);
        this.client = new ClientRoutes(gateway, bodies, this.audit);
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.beforeMatched(this::authorize);
        r.get("/api/v1/public/health", pub::health, PUBLIC);
        r.get("/api/v1/public/ca", pub::caCertificate, PUBLIC);
        r.get("/api/v1/public/crl", pub::crl, PUBLIC);
        r.get("/api/v1/public/profiles", pub::profileNames, PUBLIC);
        r.get("/api/v1/public/profiles/{name}", pub::profile, PUBLIC);
        r.get("/api/v1/public/openapi.json", pub::openApi, PUBLIC);
        r.get("/api/v1/health", admins::health, ADMIN);
        r.get("/api/v1/certificates", certificates::list, ADMIN);
        r.post("/api/v1/certificates", certificates::sign, ADMIN);
        r.get("/api/v1/certificates/{id}", certificates::view, ADMIN);
        r.post("/api/v1/certificates/{id}/revoke", certificates::revoke, ADMIN);
        r.post("/api/v1/certificates/{id}/unrevoke", certificates::unrevoke, ADMIN);
        r.post("/api/v1/certificates/{id}/renew", certificates::renew, ADMIN);
        r.post("/api/v1/crl", certificates::regenerateCrl, ADMIN);
        r.get("/api/v1/nodes", certificates::list, ADMIN);
        r.get("/api/v1/admins", admins::admins, ADMIN);
        r.post("/api/v1/admins", admins::addAdmin, ADMIN);
        r.delete("/api/v1/admins", admins::removeAdmin, ADMIN);
        r.get("/api/v1/profiles", admins::profiles, ADMIN);
        r.get("/api/v1/options", admins::options, ADMIN);
        r.get("/api/client/certificate", client::certificate, CLIENT);
        r.post("/api/client/renew", client::renew, CLIENT);
        r.post("/api/client/revoke", client::revoke, CLIENT);
        r.exception(ApiException.class, (e, ctx) -> {
            audit.refusal(ctx, e);
            ctx.status(e.status()).json(e.reason() == null ? error(e.getMessage())
                    : Map.of("status", "error", "reason", e.reason(), "message", e.getMessage()));
        });
        r.exception(Exception.class, (e, ctx) -> {
            LoggerFactory.getLogger(RaApi.class).error("request failed", e);
            if (!ctx.method().name().equals("GET")) {
                audit.record(caller(ctx), ctx.method().name() + " " + ctx.path(), null, "error", "status", 500);
            }
            ctx.status(500).json(error("internal error"));
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                ctx.json(error("no such route"));
            }
        });
    }

    /** The role check, once for every matched route, from the roles on its line; routes of others pass. */
    private void authorize(Context ctx) throws ApiException {
        Set<?> roles = ctx.routeRoles();
        if (roles.contains(PUBLIC) || !(roles.contains(ADMIN) || roles.contains(CLIENT))) {
            return;
        }
        Caller caller = authenticator.authenticate(ctx);
        ctx.attribute(CALLER, caller); // known before the role check, so that a refusal names who was refused
        if (roles.contains(ADMIN) && !caller.admin()) {
            throw new ApiException(403, "not_admin", "administrators only");
        }
    }

    static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    private static Map<String, String> error(String message) {
        return Map.of("status", "error", "message", message);
    }
}
