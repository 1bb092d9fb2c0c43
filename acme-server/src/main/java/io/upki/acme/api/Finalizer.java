package io.upki.acme.api;

import io.upki.pki.audit.AuditTrail;
import io.upki.acme.audit.AcmeAudit;
import com.nimbusds.jose.JOSEException;
import io.javalin.http.Context;
import io.upki.pki.x509.Pem;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.AcmeStore;
import io.upki.acme.store.IssuedCertificate;
import io.upki.acme.store.Order;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/**
 * Finalization and download (RFC 8555 sections 7.4 and 7.4.2): a ready order's CSR is checked, the CA
 * signs it under the ACME profile over ZeroMQ, and the chain (leaf, then the CA) is served as
 * {@code application/pem-certificate-chain} to the ordering account only.
 */
final class Finalizer {
    private final Resources resources;
    private final AcmeStore store;
    private final CertificateAuthority ca;
    private final String profile;
    private final SecureRandom random;
    private final java.security.Provider provider;
    private final AcmeAudit audit;

    Finalizer(Resources resources, AcmeStore store, CertificateAuthority ca, String profile,
              SecureRandom random, java.security.Provider provider, AcmeAudit audit) {
        this.audit = audit;
        this.resources = resources;
        this.store = store;
        this.ca = ca;
        this.profile = profile;
        this.random = random;
        this.provider = provider;
    }

    void finalizeOrder(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        Order order = OrderRoutes.ownOrder(resources.order(ctx.pathParam("id")), req.account());
        String csrB64 = AcmeRequest.text(req.payload(), "csr", 64 * 1024);
        if (order.status() != Order.Status.READY) {
            // RFC 8555 section 7.4: finalizing an order that is not ready is orderNotReady (403).
            throw new AcmeProblem(AcmeError.ORDER_NOT_READY, "the order is " + order.status().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not ready: every authorization must be valid first");
        }
        if (csrB64 == null) {
            throw new AcmeProblem(AcmeError.MALFORMED, "finalize needs a csr");
        }
        CsrPolicy.Accepted csr;
        try {
            csr = CsrPolicy.check(csrB64, order.identifiers(), accountKey(req), provider);
        } catch (AcmeProblem p) {
            audit.record(AcmeAudit.account(req.account().id()), "acme-issue", "refused", "order", order.id(), "reason", p.getMessage());
            throw p;
        }
        if (!store.orders().transition(order.id(), Order.Status.READY, Order.Status.PROCESSING)) {
            throw new AcmeProblem(AcmeError.ORDER_NOT_READY, "the order is already being finalized");
        }
        CertificateAuthority.Signed signed;
        try {
            signed = ca.sign(csr.pem(), profile, csr.fallbackCn());
        } catch (AcmeProblem p) {
            if (p.status() == 503) {
                store.orders().transition(order.id(), Order.Status.PROCESSING, Order.Status.READY); // retry later
            } else {
                store.orders().update(order.withStatus(Order.Status.INVALID, p.document().toString()));
            }
            audit.record(AcmeAudit.account(req.account().id()), "acme-issue", p.status() == 503 ? "error" : "refused",
                    "order", order.id(), "reason", p.getMessage());
            throw p;
        }
        X509Certificate leaf = Pem.parseCertificate(signed.certificatePem());
        String chain = signed.certificatePem().stripTrailing() + "\n" + ca.caCertificatePem().stripTrailing() + "\n";
        IssuedCertificate cert = new IssuedCertificate(Ids.random(random), order.id(), req.account().id(), signed.serial(),
                chain, leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), null);
        Order valid = order.withCertificate(cert.id());
        store.transaction(() -> {
            store.certificates().insert(cert);
            store.orders().update(valid);
        });
        audit.record(AcmeAudit.account(req.account().id()), "acme-issue", "ok", "serial", AuditTrail.serial(signed.serial()),
                "subject", leaf.getSubjectX500Principal().getName(), "names", order.identifiers().size(), "profile", profile,
                "order", order.id());
        Replies.location(ctx, urls.order(order.id()));
        Replies.json(ctx, 200, resources.order(valid, urls));
    }

    void download(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        req.requirePostAsGet();
        IssuedCertificate cert = store.certificates().get(ctx.pathParam("id")).orElseThrow(() -> OrderRoutes.notFound("certificate"));
        if (!cert.accountId().equals(req.account().id())) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "this certificate belongs to another account");
        }
        ctx.status(200).contentType("application/pem-certificate-chain").result(cert.chainPem().getBytes(StandardCharsets.US_ASCII));
    }

    private static PublicKey accountKey(AcmeRequest req) throws AcmeProblem {
        try {
            return req.key().toPublicJWK() instanceof com.nimbusds.jose.jwk.AsymmetricJWK a ? a.toPublicKey() : null;
        } catch (JOSEException e) {
            throw new AcmeProblem(AcmeError.SERVER_INTERNAL, "the account key cannot be read");
        }
    }
}
