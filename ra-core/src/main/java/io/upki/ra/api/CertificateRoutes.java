package io.upki.ra.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.upki.pki.audit.AuditTrail;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.CertificateId;
import io.upki.pki.caclient.RevocationRequest;
import io.upki.pki.caclient.SignRequest;
import io.upki.pki.wire.CertificatePage;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.SignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;

/** The administrators' certificate routes: list (filtered and paged by the CA), sign, view, revoke, unrevoke, renew, CRL. */
final class CertificateRoutes {
    /**
     * Profiles whose certificates confer authority (a CA, an RA, a sidecar's assertion key, an admin):
     * never issued on the RA's own authority, in any CA mode; an operator issues them with upki-cli
     * (docs/SECURITY.md). A CURVE CA refuses them to the RA's key as well.
     */
    private static final Set<String> OPERATOR_PROFILES = Set.of("ca", "ra", "sidecar", "admin", "ocsp");

    private final CaGateway ca;
    private final Bodies bodies;
    private final ApiAudit audit;
    private final String publisher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** @param publisher base URL of the crl-publisher told after a CRL regeneration, or null */
    CertificateRoutes(CaGateway ca, Bodies bodies, ApiAudit audit, String publisher) {
        this.ca = ca;
        this.bodies = bodies;
        this.audit = audit;
        this.publisher = publisher;
    }

    /** One page of certificates, filtered and counted by the CA ({@code list_nodes} with a filter). */
    void list(Context ctx) throws ApiException {
        int limit = Requests.intQuery(ctx, "limit", 100, 1000);
        int offset = Requests.intQuery(ctx, "offset", 0, Integer.MAX_VALUE);
        List<NodeRecord> items = List.of();
        if (limit > 0) {
            NodeQuery query;
            try {
                query = new NodeQuery(ctx.queryParam("q"), ctx.queryParam("cn"), ctx.queryParam("profile"),
                        ctx.queryParam("state"), null, offset, limit);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage());
            }
            CertificatePage page = ca.call(c -> c.nodes(query));
            items = page.items();
        }
        ctx.json(Map.of("items", items, "limit", limit, "offset", offset));
    }

    void sign(Context ctx) throws ApiException {
        ObjectNode body = bodies.object(ctx, true);
        String csr = Bodies.string(body, "csr", true, Requests.MAX_CSR);
        String profile = Bodies.string(body, "profile", false, 64);
        if (profile != null && OPERATOR_PROFILES.contains(profile)) {
            // Audited as a refused change by the exception handler, like every refusal.
            throw new ApiException(403, "issuing a certificate with profile " + profile + " is an operator action: "
                    + "use upki-cli generate --profile " + profile + " with the operator's key, not the RA");
        }
        X500Name subject = Requests.checkCsr(csr);
        String profileName = profile == null ? "server" : profile;
        SignedCertificate signed = ca.call(c -> c.sign(new SignRequest(csr, profileName)));
        audit.record(RaApi.caller(ctx), "sign", signed.serial(), "ok", "subject", subject.toString(),
                "profile", profileName);
        ctx.status(201).json(signed);
    }

    void view(Context ctx) throws ApiException {
        CertificateId target = Requests.target(ctx.pathParam("id"));
        ctx.json(ca.call(c -> c.view(target)));
    }

    void revoke(Context ctx) throws ApiException {
        CertificateId target = Requests.target(ctx.pathParam("id"));
        String reason = Requests.reason(bodies.object(ctx, false));
        ca.run(c -> c.revoke(new RevocationRequest(target, reason)));
        audit.record(RaApi.caller(ctx), "revoke", target.serial(), "ok", "dn", target.dn(), "reason", reason);
        ctx.json(Map.of("status", "ok", "revoked", true));
    }

    void unrevoke(Context ctx) throws ApiException {
        CertificateId target = Requests.target(ctx.pathParam("id"));
        ca.run(c -> c.unrevoke(target));
        audit.record(RaApi.caller(ctx), "unrevoke", target.serial(), "ok", "dn", target.dn());
        ctx.json(Map.of("status", "ok", "revoked", false));
    }

    void renew(Context ctx) throws ApiException {
        CertificateId target = Requests.target(ctx.pathParam("id"));
        Integer duration = Bodies.positiveInt(bodies.object(ctx, false), "duration", 36_500);
        SignedCertificate renewed = ca.call(c -> c.renew(target, duration));
        audit.record(RaApi.caller(ctx), "renew", renewed.serial(), "ok", "renewed", AuditTrail.serial(target.serial()),
                "dn", target.dn());
        ctx.status(201).json(renewed);
    }

    void regenerateCrl(Context ctx) throws ApiException {
        byte[] der = ca.call(CertificateAuthorityClient::generateCrl).der();
        boolean told = tellPublisher();
        audit.record(RaApi.caller(ctx), "generate_crl", null, "ok", "bytes", der.length, "publisher_notified", told);
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
}
