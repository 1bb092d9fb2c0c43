package io.upki.ra.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.upki.pki.audit.AuditTrail;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.RevocationReason;
import io.upki.ra.audit.RaAudit;
import io.upki.ra.auth.AuthenticationException;
import io.upki.ra.auth.Authenticator;
import io.upki.ra.auth.Caller;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.slf4j.LoggerFactory;

/**
 * The route table of the RA, one line per route with the role it needs, and the handlers. Roles are
 * checked once, before any handler, from the path: {@code /api/v1/public/*} public, {@code /api/v1/*}
 * administrators, {@code /api/client/*} any valid client certificate; every other path is 404.
 */
public final class RaApi {
    private static final String CALLER = "upki.caller";
    private static final int MAX_CSR = 16 * 1024;
    /**
     * Profiles whose certificates confer authority (a CA, an RA, a sidecar's assertion key, an admin):
     * never issued on the RA's own authority, in any CA mode; an operator issues them with upki-cli
     * (docs/SECURITY.md). A CURVE CA refuses them to the RA's key as well.
     */
    private static final java.util.Set<String> OPERATOR_PROFILES = java.util.Set.of("ca", "ra", "sidecar", "admin", "ocsp");

    private final CaGateway ca;
    private final Authenticator authenticator;
    private final Bodies bodies;
    private final String publisher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final byte[] openApi;
    private final RaAudit audit;

    /** @param publisher base URL of the crl-publisher told after a CRL regeneration, or null */
    public RaApi(CaClient ca, Authenticator authenticator, int maxBodyBytes, String publisher, byte[] openApi) {
        this(ca, authenticator, maxBodyBytes, publisher, openApi, RaAudit.logOnly(java.time.Clock.systemUTC()));
    }

    /** Like the constructor above, recording every state change and refusal in {@code audit}. */
    public RaApi(CaClient ca, Authenticator authenticator, int maxBodyBytes, String publisher, byte[] openApi,
                 RaAudit audit) {
        this.audit = audit;
        this.ca = new CaGateway(ca);
        this.authenticator = authenticator;
        this.bodies = new Bodies(maxBodyBytes);
        this.publisher = publisher;
        this.openApi = openApi.clone();
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.before(this::authorize);
        // public
        r.get("/api/v1/public/health", ctx -> ctx.json(Map.of("status", "ok")));
        r.get("/api/v1/public/ca", ctx -> ctx.contentType("application/x-pem-file").result(ca.call(CaTask.GET_CA, p()).asText()));
        r.get("/api/v1/public/crl", this::crl);
        r.get("/api/v1/public/profiles", ctx -> ctx.json(ca.call(CaTask.LIST_PROFILES, p())));
        r.get("/api/v1/public/profiles/{name}", ctx -> ctx.json(ca.call(CaTask.GET_PROFILE, p().put("profile", ctx.pathParam("name")))));
        r.get("/api/v1/public/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        // administrators
        r.get("/api/v1/health", ctx -> ctx.json(Map.of("status", "ok", "role", caller(ctx).role().wireName(), "subject", caller(ctx).subject())));
        r.get("/api/v1/certificates", this::listCertificates);
        r.post("/api/v1/certificates", this::sign);
        r.get("/api/v1/certificates/{id}", ctx -> ctx.json(ca.call(CaTask.VIEW, target(ctx.pathParam("id")))));
        r.post("/api/v1/certificates/{id}/revoke", this::adminRevoke);
        r.post("/api/v1/certificates/{id}/unrevoke", this::unrevoke);
        r.post("/api/v1/certificates/{id}/renew", this::adminRenew);
        r.post("/api/v1/crl", this::regenerateCrl);
        r.get("/api/v1/admins", ctx -> ctx.json(ca.call(CaTask.LIST_ADMINS, p())));
        r.post("/api/v1/admins", this::addAdmin);
        r.delete("/api/v1/admins", this::removeAdmin);
        r.get("/api/v1/profiles", this::profiles);
        r.get("/api/v1/options", ctx -> ctx.json(Map.of("revocation_reasons", RevocationReason.wireNames(),
                "key_types", java.util.List.of("rsa", "ec"), "san_types", java.util.List.of("DNS", "IP", "EMAIL", "URI"))));
        r.get("/api/v1/nodes", this::listCertificates);
        // clients, about their own certificate only
        r.get("/api/client/certificate", ctx -> ctx.json(ca.call(CaTask.VIEW, own(caller(ctx)))));
        r.post("/api/client/renew", this::clientRenew);
        r.post("/api/client/revoke", this::clientRevoke);
        r.exception(ApiException.class, (e, ctx) -> {
            auditRefusal(ctx, e);
            ctx.status(e.status()).json(e.reason() == null ? error(e.getMessage())
                    : Map.of("status", "error", "reason", e.reason(), "message", e.getMessage()));
        });
        r.exception(Exception.class, (e, ctx) -> {
            LoggerFactory.getLogger(RaApi.class).error("request failed", e);
            if (!ctx.method().name().equals("GET")) {
                audit(caller(ctx), ctx.method().name() + " " + ctx.path(), null, "error", "status", 500);
            }
            ctx.status(500).json(error("internal error"));
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                ctx.json(error("no such route"));
            }
        });
    }

    /** The role check, once for every route. */
    private void authorize(Context ctx) throws ApiException {
        String path = ctx.path();
        if (path.startsWith("/api/v1/public/") || path.equals("/api/v1/public")) {
            return;
        }
        boolean admin = path.equals("/api/v1") || path.startsWith("/api/v1/");
        boolean client = path.startsWith("/api/client/");
        if (!admin && !client) {
            return;
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(ctx);
        } catch (AuthenticationException e) {
            throw ApiException.refused(e);
        }
        ctx.attribute(CALLER, caller); // known before the role check, so that a refusal names who was refused
        if (admin && !caller.admin()) {
            throw new ApiException(403, "not_admin", "administrators only");
        }
    }

    private static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    private void crl(Context ctx) throws ApiException {
        byte[] der = Base64.getDecoder().decode(ca.call(CaTask.GET_CRL, p()).asText());
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/pkix-crl")) {
            ctx.contentType("application/pkix-crl").result(der);
            return;
        }
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        ctx.contentType("application/x-pem-file").result("-----BEGIN X509 CRL-----\n" + b64 + "\n-----END X509 CRL-----\n");
    }

    private void listCertificates(Context ctx) throws ApiException {
        int limit = intQuery(ctx, "limit", 100, 1000);
        int offset = intQuery(ctx, "offset", 0, Integer.MAX_VALUE);
        String state = ctx.queryParam("state");
        String profile = ctx.queryParam("profile");
        String cn = ctx.queryParam("cn");
        JsonNode nodes = ca.call(CaTask.LIST_NODES, p());
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        int skipped = 0;
        for (JsonNode n : nodes) {
            if ((state != null && !state.equals(n.path("state").asText())) || (profile != null
                    && !profile.equals(n.path("profile").asText())) || (cn != null && !cn.equals(n.path("cn").asText()))) {
                continue;
            }
            if (skipped++ < offset) {
                continue;
            }
            if (out.size() >= limit) {
                break;
            }
            out.add(n);
        }
        ctx.json(Map.of("items", out, "limit", limit, "offset", offset));
    }

    private void sign(Context ctx) throws ApiException {
        ObjectNode body = bodies.object(ctx, true);
        String csr = Bodies.string(body, "csr", true, MAX_CSR);
        String profile = Bodies.string(body, "profile", false, 64);
        if (profile != null && OPERATOR_PROFILES.contains(profile)) {
            // Audited as a refused change by the exception handler, like every refusal.
            throw new ApiException(403, "issuing a certificate with profile " + profile + " is an operator action: "
                    + "use upki-cli generate --profile " + profile + " with the operator's key, not the RA");
        }
        X500Name subject = checkCsr(csr);
        String profileName = profile == null ? "server" : profile;
        JsonNode data = ca.call(CaTask.SIGN, p().put("csr", csr).put("profile", profileName));
        audit(caller(ctx), "sign", data.path("serial").bigIntegerValue(), "ok", "subject", subject.toString(),
                "profile", profileName);
        ctx.status(201).json(data);
    }

    private void adminRevoke(Context ctx) throws ApiException {
        ObjectNode params = target(ctx.pathParam("id"));
        String reason = reason(bodies.object(ctx, false));
        ca.call(CaTask.REVOKE, params.put("reason", reason));
        audit(caller(ctx), "revoke", serialOf(params), "ok", "dn", dnOf(params), "reason", reason);
        ctx.json(Map.of("status", "ok", "revoked", true));
    }

    private void unrevoke(Context ctx) throws ApiException {
        ObjectNode params = target(ctx.pathParam("id"));
        ca.call(CaTask.UNREVOKE, params);
        audit(caller(ctx), "unrevoke", serialOf(params), "ok", "dn", dnOf(params));
        ctx.json(Map.of("status", "ok", "revoked", false));
    }

    private void adminRenew(Context ctx) throws ApiException {
        ObjectNode params = target(ctx.pathParam("id"));
        Integer duration = Bodies.positiveInt(bodies.object(ctx, false), "duration", 36_500);
        if (duration != null) {
            params.put("duration", duration);
        }
        JsonNode data = ca.call(CaTask.RENEW, params);
        audit(caller(ctx), "renew", data.path("serial").bigIntegerValue(), "ok", "renewed",
                AuditTrail.serial(serialOf(params)), "dn", dnOf(params));
        ctx.status(201).json(data);
    }

    private void regenerateCrl(Context ctx) throws ApiException {
        byte[] der = Base64.getDecoder().decode(ca.call(CaTask.GENERATE_CRL, p()).asText());
        boolean told = tellPublisher();
        audit(caller(ctx), "generate_crl", null, "ok", "bytes", der.length, "publisher_notified", told);
        ctx.json(Map.of("status", "ok", "size", der.length, "publisher_notified", told));
    }

    /** Asks the crl-publisher to fetch the new CRL now (it also reacts to the CA's event on its own). */
    private boolean tellPublisher() {
        if (publisher == null || publisher.isBlank()) {
            return false;
        }
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(publisher + "/refresh"))
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void addAdmin(Context ctx) throws ApiException {
        String dn = dn(Bodies.string(bodies.object(ctx, true), "dn", true, 1024));
        ca.call(CaTask.ADD_ADMIN, p().put("dn", dn));
        audit(caller(ctx), "add_admin", null, "ok", "dn", dn);
        ctx.status(201).json(Map.of("status", "ok", "dn", dn));
    }

    private void removeAdmin(Context ctx) throws ApiException {
        String dn = dn(ctx.queryParam("dn"));
        ca.call(CaTask.REMOVE_ADMIN, p().put("dn", dn));
        audit(caller(ctx), "remove_admin", null, "ok", "dn", dn);
        ctx.json(Map.of("status", "ok", "dn", dn));
    }

    private void profiles(Context ctx) throws ApiException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (JsonNode name : ca.call(CaTask.LIST_PROFILES, p())) {
            out.set(name.asText(), ca.call(CaTask.GET_PROFILE, p().put("profile", name.asText())));
        }
        ctx.json(out);
    }

    /**
     * One CA task ({@code renew_csr}) checks that the caller's certificate is valid and not revoked, that
     * the CSR asks for exactly its subject and names, issues with its profile and revokes it as
     * superseded: the RA cannot be talked into other names, and no step can run without the others.
     */
    private void clientRenew(Context ctx) throws ApiException {
        Caller caller = caller(ctx);
        String csr = Bodies.string(bodies.object(ctx, true), "csr", true, MAX_CSR);
        checkCsr(csr);
        JsonNode issued;
        try {
            issued = ca.call(CaTask.RENEW_CSR, own(caller).put("csr", csr));
        } catch (ApiException e) {
            if (e.status() == 400 && e.getMessage().contains("Unknown task")) {
                // The Python uPKI CA has no renew_csr, and its sign would copy whatever names the CSR asks for.
                throw new ApiException(501, "client renewal needs a CA with the renew_csr task (upki's ca-server)");
            }
            throw e;
        }
        // The CA revoked the old certificate as superseded (RFC 5280 section 5.3.1) in the same task.
        audit(caller, "client-renew", issued.path("serial").bigIntegerValue(), "ok", "superseded",
                AuditTrail.serial(caller.serial()));
        ctx.status(201).json(issued);
    }

    private void clientRevoke(Context ctx) throws ApiException {
        Caller caller = caller(ctx);
        String reason = reason(bodies.object(ctx, false));
        ca.call(CaTask.REVOKE, own(caller).put("reason", reason));
        audit(caller, "client-revoke", caller.serial(), "ok", "reason", reason);
        ctx.json(Map.of("status", "ok", "revoked", true));
    }

    /**
     * The caller's own certificate: by serial (exact, upki's CA) and by CN (the Python uPKI CA knows
     * only CN lookups and ignores {@code serial}), so the RA works against either CA.
     */
    private static ObjectNode own(Caller caller) {
        ObjectNode params = p().put("serial", caller.serial());
        try {
            String cn = DistinguishedNames.commonName(DistinguishedNames.parse(caller.subject()));
            if (cn != null) {
                params.put("dn", cn);
            }
        } catch (IllegalArgumentException e) {
            // no usable CN: the serial alone names the certificate
        }
        return params;
    }

    /** A certificate named in a path: decimal serial, {@code 0x} hex serial, or a CN. */
    private static ObjectNode target(String id) throws ApiException {
        if (id.matches("[0-9]{1,60}")) {
            return p().put("serial", new BigInteger(id));
        }
        if (id.matches("0x[0-9a-fA-F]{1,50}")) {
            return p().put("serial", new BigInteger(id.substring(2), 16));
        }
        if (id.isBlank() || id.length() > 256) {
            throw new ApiException(400, "certificate id must be a serial or a CN");
        }
        return p().put("dn", id);
    }

    private static String reason(ObjectNode body) throws ApiException {
        String reason = Bodies.string(body, "reason", false, 64);
        if (reason == null) {
            return "unspecified";
        }
        return RevocationReason.fromWireName(reason).map(RevocationReason::wireName).orElseThrow(() ->
                new ApiException(400, "invalid revocation reason '" + reason + "', use one of " + RevocationReason.wireNames()));
    }

    private static String dn(String dn) throws ApiException {
        if (dn == null || dn.isBlank()) {
            throw new ApiException(400, "a 'dn' is required");
        }
        try {
            DistinguishedNames.parse(dn);
            return dn.strip();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid DN: " + e.getMessage());
        }
    }

    private static X500Name checkCsr(String csr) throws ApiException {
        try {
            return Pem.parseCsr(csr).getSubject();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "csr is not a PEM certificate request");
        }
    }

    private static int intQuery(Context ctx, String name, int dflt, int max) throws ApiException {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + " must be an integer between 0 and " + max);
        }
    }

    private static ObjectNode p() {
        return CaClient.params();
    }

    private static Map<String, String> error(String message) {
        return Map.of("status", "error", "message", message);
    }

    /**
     * A refused request: every refused change (any method but GET and HEAD) and every refused
     * authentication or role (401, 403), with who was refused when that is known and the reason given.
     */
    private void auditRefusal(Context ctx, ApiException e) {
        String method = ctx.method().name();
        boolean change = !method.equals("GET") && !method.equals("HEAD");
        if (!change && e.status() != 401 && e.status() != 403) {
            return;
        }
        audit(caller(ctx), method + " " + ctx.path(), null, "refused", "status", e.status(),
                "reason", e.getMessage(), "client_ip", ctx.ip());
    }

    /** An API event of {@code caller} (null when authentication itself failed) about certificate {@code serial}. */
    private void audit(Caller caller, String action, BigInteger serial, String result, Object... fields) {
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

    private static BigInteger serialOf(ObjectNode params) {
        return params.has("serial") ? params.get("serial").bigIntegerValue() : null;
    }

    private static String dnOf(ObjectNode params) {
        return params.has("dn") ? params.get("dn").asText() : null;
    }
}
