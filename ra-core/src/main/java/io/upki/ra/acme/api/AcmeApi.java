package io.upki.ra.acme.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.upki.ra.acme.AcmeError;
import io.upki.ra.acme.AcmeProblem;
import io.upki.ra.acme.jws.Nonces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACME route table (RFC 8555 section 7.1), one line per route with how it is authenticated, and
 * the one place where failures become problem documents. Every path is public at the HTTP layer in
 * both RA modes: ACME authenticates each request by its JWS, never by a client certificate or header.
 */
public final class AcmeApi {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeApi.class);
    private final Nonces nonces;
    private final AccountRoutes accounts;
    private final OrderRoutes orders;
    private final Finalizer finalizer;
    private final Renewals renewals;
    private final BaseUrls baseUrls;
    private final boolean externalAccountRequired;

    /** Builds URLs for a request: from configuration, else from the request itself. */
    public interface BaseUrls {
        String base(Context ctx) throws AcmeProblem;
    }

    AcmeApi(Nonces nonces, AccountRoutes accounts, OrderRoutes orders, Finalizer finalizer, Renewals renewals,
            BaseUrls baseUrls, boolean externalAccountRequired) {
        this.nonces = nonces;
        this.accounts = accounts;
        this.orders = orders;
        this.finalizer = finalizer;
        this.renewals = renewals;
        this.baseUrls = baseUrls;
        this.externalAccountRequired = externalAccountRequired;
    }

    /** Wires the routes over a store, a validation service and the CA. */
    public static AcmeApi create(io.upki.ra.acme.AcmeSettings settings, io.upki.ra.acme.store.AcmeStore store,
                                 io.upki.ra.acme.validation.ValidationService validations, CertificateAuthority ca,
                                 java.time.Clock clock, java.security.SecureRandom random, BaseUrls baseUrls, int maxBody) {
        return create(settings, store, validations, ca, clock, random, baseUrls, maxBody,
                io.upki.ra.audit.RaAudit.logOnly(clock));
    }

    /** Like the method above, recording accounts, issuance and revocation in {@code audit}. */
    public static AcmeApi create(io.upki.ra.acme.AcmeSettings settings, io.upki.ra.acme.store.AcmeStore store,
                                 io.upki.ra.acme.validation.ValidationService validations, CertificateAuthority ca,
                                 java.time.Clock clock, java.security.SecureRandom random, BaseUrls baseUrls, int maxBody,
                                 io.upki.ra.audit.RaAudit audit) {
        // Every ACME request carries an ECDSA (or RSA) signature: the native provider verifies it when it is
        // in force; otherwise BouncyCastle, several times faster than SunEC on Java 17. Null: the JCA default.
        java.security.Provider ecdsa = io.upki.pki.crypto.NativeCrypto.current().nativeActive() ? null
                : new org.bouncycastle.jce.provider.BouncyCastleProvider();
        io.upki.ra.acme.jws.JwsVerifier verifier = new io.upki.ra.acme.jws.JwsVerifier(ecdsa);
        Nonces nonces = new Nonces(clock, settings.nonceLifetime(), random);
        AcmeRequests requests = new AcmeRequests(verifier, nonces, store, maxBody);
        Resources resources = new Resources(store, clock);
        Renewals renewals = new Renewals(requests, store, ca, clock, audit);
        return new AcmeApi(nonces,
                new AccountRoutes(requests, resources, store, verifier, settings.eabKeys(), clock, random, audit),
                new OrderRoutes(requests, resources, store, validations, clock, random, settings.orderLifetime(),
                        settings.authzLifetime(), renewals, settings.networks()),
                new Finalizer(requests, resources, store, ca, settings.profile(), random, ecdsa, audit),
                renewals, baseUrls, settings.externalAccountRequired());
    }

    /** Drops expired nonces (they are refused anyway; this keeps the table small). */
    public int purgeNonces() {
        return nonces.purge();
    }

    /** A route handler that may answer with a problem. */
    private interface Route {
        void handle(Context ctx, AcmeUrls urls) throws AcmeProblem;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        // public, unauthenticated
        r.get("/acme/directory", ctx -> run(ctx, false, this::directory));
        r.head("/acme/new-nonce", ctx -> run(ctx, true, (c, u) -> c.status(200).header("Cache-Control", "no-store")));
        r.get("/acme/new-nonce", ctx -> run(ctx, true, (c, u) -> c.status(204).header("Cache-Control", "no-store")));
        r.get("/acme/renewal-info/{id}", ctx -> run(ctx, false, (c, u) -> renewals.renewalInfo(c)));
        // JWS with jwk (the key is the identity)
        r.post("/acme/new-account", ctx -> run(ctx, true, accounts::newAccount));
        // JWS with jwk (certificate key) or kid (ordering account)
        r.post("/acme/revoke-cert", ctx -> run(ctx, true, renewals::revoke));
        // JWS with kid: the account, its own objects only
        r.post("/acme/acct/{id}", ctx -> run(ctx, true, accounts::account));
        r.post("/acme/acct/{id}/orders", ctx -> run(ctx, true, accounts::orders));
        r.post("/acme/key-change", ctx -> run(ctx, true, accounts::keyChange));
        r.post("/acme/new-order", ctx -> run(ctx, true, orders::newOrder));
        r.post("/acme/order/{id}", ctx -> run(ctx, true, orders::order));
        r.post("/acme/order/{id}/finalize", ctx -> run(ctx, true, finalizer::finalizeOrder));
        r.post("/acme/authz/{id}", ctx -> run(ctx, true, orders::authorization));
        r.post("/acme/chall/{id}", ctx -> run(ctx, true, orders::challenge));
        r.post("/acme/cert/{id}", ctx -> run(ctx, true, finalizer::download));
    }

    /**
     * Runs a route: the index Link and a fresh Replay-Nonce first (RFC 8555 sections 7.1 and 6.5, also on
     * errors, so a badNonce carries the nonce to retry with), then the handler; any failure becomes a
     * problem document here, and nothing internal reaches the client.
     */
    private void run(Context ctx, boolean nonce, Route route) {
        AcmeUrls urls;
        try {
            urls = new AcmeUrls(baseUrls.base(ctx));
        } catch (AcmeProblem p) {
            problem(ctx, p);
            return;
        }
        Replies.link(ctx, urls.directory(), "index");
        try {
            if (nonce) {
                ctx.header("Replay-Nonce", nonces.issue());
            }
            route.handle(ctx, urls);
        } catch (AcmeProblem p) {
            problem(ctx, p);
        } catch (RuntimeException e) {
            LOG.error("ACME request {} failed", ctx.path(), e);
            problem(ctx, new AcmeProblem(AcmeError.SERVER_INTERNAL, "internal error"));
        }
    }

    private static void problem(Context ctx, AcmeProblem p) {
        if (p.location() != null) {
            ctx.header("Location", p.location());
        }
        ctx.status(p.status()).contentType("application/problem+json").result(p.document().toString());
    }

    /** RFC 8555 section 7.1.1, with RFC 9773's renewalInfo. */
    private void directory(Context ctx, AcmeUrls urls) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("newNonce", urls.newNonce());
        d.put("newAccount", urls.newAccount());
        d.put("newOrder", urls.newOrder());
        d.put("revokeCert", urls.revokeCert());
        d.put("keyChange", urls.keyChange());
        d.put("renewalInfo", urls.renewalInfo());
        ObjectNode meta = d.putObject("meta");
        meta.put("externalAccountRequired", externalAccountRequired);
        Replies.json(ctx, 200, d);
    }
}
