package io.upki.ra.api;

import static io.upki.ra.api.ApiRole.ADMIN;
import static io.upki.ra.api.ApiRole.CLIENT;
import static io.upki.ra.api.ApiRole.PUBLIC;

import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Context;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.ra.audit.RaAudit;
import io.upki.ra.auth.AuthenticationException;
import io.upki.ra.auth.Authenticator;
import io.upki.ra.auth.Caller;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The route table of the RA: one line per route with the role it needs ({@link ApiRole}), checked once
 * before matching (unknown paths under a role's prefix are refused like known ones); the handlers live in one class per feature (public, certificates,
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
        r.before(this::authorize);
        route(r, HandlerType.GET, PUBLIC, "/api/v1/public/health", pub::health);
        route(r, HandlerType.GET, PUBLIC, "/api/v1/public/ca", pub::caCertificate);
        route(r, HandlerType.GET, PUBLIC, "/api/v1/public/crl", pub::crl);
        route(r, HandlerType.GET, PUBLIC, "/api/v1/public/profiles", pub::profileNames);
        route(r, HandlerType.GET, PUBLIC, "/api/v1/public/profiles/{name}", pub::profile);
        route(r, HandlerType.GET, PUBLIC, "/api/v1/public/openapi.json", pub::openApi);
        route(r, HandlerType.GET, ADMIN, "/api/v1/health", admins::health);
        route(r, HandlerType.GET, ADMIN, "/api/v1/certificates", certificates::list);
        route(r, HandlerType.POST, ADMIN, "/api/v1/certificates", certificates::sign);
        route(r, HandlerType.GET, ADMIN, "/api/v1/certificates/{id}", certificates::view);
        route(r, HandlerType.POST, ADMIN, "/api/v1/certificates/{id}/revoke", certificates::revoke);
        route(r, HandlerType.POST, ADMIN, "/api/v1/certificates/{id}/unrevoke", certificates::unrevoke);
        route(r, HandlerType.POST, ADMIN, "/api/v1/certificates/{id}/renew", certificates::renew);
        route(r, HandlerType.POST, ADMIN, "/api/v1/crl", certificates::regenerateCrl);
        route(r, HandlerType.GET, ADMIN, "/api/v1/nodes", certificates::list);
        route(r, HandlerType.GET, ADMIN, "/api/v1/admins", admins::admins);
        route(r, HandlerType.POST, ADMIN, "/api/v1/admins", admins::addAdmin);
        route(r, HandlerType.DELETE, ADMIN, "/api/v1/admins", admins::removeAdmin);
        route(r, HandlerType.GET, ADMIN, "/api/v1/profiles", admins::profiles);
        route(r, HandlerType.GET, ADMIN, "/api/v1/options", admins::options);
        route(r, HandlerType.GET, CLIENT, "/api/client/certificate", client::certificate);
        route(r, HandlerType.POST, CLIENT, "/api/client/renew", client::renew);
        route(r, HandlerType.POST, CLIENT, "/api/client/revoke", client::revoke);
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

    /**
     * The role every path under the API's prefixes needs, route or not, so that an unknown path or method
     * is refused like a known one (fail closed): {@code /api/v1/public/*} public, other {@code /api/v1/*}
     * administrators, {@code /api/client/*} any valid client certificate; null outside the API.
     */
    static ApiRole zone(String path) {
        if (path.startsWith("/api/v1/public/") || path.equals("/api/v1/public")) {
            return PUBLIC;
        }
        if (path.equals("/api/v1") || path.startsWith("/api/v1/")) {
            return ADMIN;
        }
        return path.startsWith("/api/client/") ? CLIENT : null;
    }

    /** Adds one route with its role, once that role is checked to be the one {@link #authorize} enforces there. */
    private static void route(RoutesConfig r, HandlerType method, ApiRole role, String path, Handler handler) {
        if (zone(path) != role) {
            throw new IllegalStateException(path + " is declared " + role + " but its prefix gives " + zone(path));
        }
        r.addHttpHandler(method, path, handler, role);
    }

    /** The role check, once for every request, before matching: the caller is known before any handler. */
    private void authorize(Context ctx) throws ApiException {
        ApiRole role = zone(ctx.path());
        if (role == null || role == PUBLIC) {
            return;
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(ctx);
        } catch (AuthenticationException e) {
            throw ApiException.refused(e);
        }
        ctx.attribute(CALLER, caller); // known before the role check, so that a refusal names who was refused
        if (role == ADMIN && !caller.admin()) {
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
