package io.upki.acme.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.upki.acme.audit.AcmeAudit;
import io.upki.acme.config.AcmeSettings;
import io.upki.acme.jws.JwsVerifier;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.AcmeStore;
import io.upki.acme.store.Nonces;
import io.upki.acme.validation.ValidationService;
import io.upki.pki.crypto.NativeCrypto;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACME route table (RFC 8555 section 7.1): each route line names how its requests are
 * authenticated ({@link #unauthenticated}, {@link #byJwk}, {@link #byKid}, {@link #byJwkOrKid}), and
 * failures become problem documents in one place. Every path is public at the HTTP layer in both RA
 * modes: ACME authenticates each request by its JWS, never by a client certificate or header.
 */
public final class AcmeApi {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeApi.class);
    private final Nonces nonces;
    private final AcmeRequests requests;
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

    /** A route that reads no JWS. */
    private interface Route {
        void handle(Context ctx, AcmeUrls urls) throws AcmeProblem;
    }

    /** A route that runs on a request whose JWS was verified (RFC 8555 section 6.2). */
    private interface SignedRoute {
        void handle(Context ctx, AcmeUrls urls, AcmeRequest request) throws AcmeProblem;
    }

    private AcmeApi(Nonces nonces, AcmeRequests requests, AccountRoutes accounts, OrderRoutes orders,
                    Finalizer finalizer, Renewals renewals, BaseUrls baseUrls, boolean externalAccountRequired) {
        this.nonces = nonces;
        this.requests = requests;
        this.accounts = accounts;
        this.orders = orders;
        this.finalizer = finalizer;
        this.renewals = renewals;
        this.baseUrls = baseUrls;
        this.externalAccountRequired = externalAccountRequired;
    }

    /** Wires the routes over a store, a validation service and the CA, recording events in {@code audit}. */
    public static AcmeApi create(AcmeSettings settings, AcmeStore store, ValidationService validations,
                                 CertificateAuthority ca, Clock clock, SecureRandom random, BaseUrls baseUrls, int maxBody,
                                 AcmeAudit audit) {
        // Every ACME request carries an ECDSA (or RSA) signature: the native provider verifies it when it is
        // in force; otherwise BouncyCastle, several times faster than SunEC on Java 17. Null: the JCA default.
        Provider ecdsa = NativeCrypto.current().nativeActive() ? null : new BouncyCastleProvider();
        JwsVerifier verifier = new JwsVerifier(ecdsa);
        Nonces nonces = store.nonces(clock, settings.nonceLifetime(), random);
        Resources resources = new Resources(store, clock);
        Renewals renewals = new Renewals(store, ca, clock, audit);
        return new AcmeApi(nonces, new AcmeRequests(verifier, nonces, store, maxBody),
                new AccountRoutes(resources, store, verifier, settings.eabKeys(), clock, random, audit),
                new OrderRoutes(resources, store, validations, clock, random, settings.orderLifetime(),
                        settings.authzLifetime(), renewals, settings.networks()),
                new Finalizer(resources, store, ca, settings.profile(), random, ecdsa, audit),
                renewals, baseUrls, settings.externalAccountRequired());
    }

    /** Drops expired nonces (they are refused anyway; this keeps the table small). */
    public int purgeNonces() {
        return nonces.purge();
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.get("/acme/directory", unauthenticated(this::directory));
        r.head("/acme/new-nonce", unauthenticated((c, u) -> newNonce(c, 200)));
        r.get("/acme/new-nonce", unauthenticated((c, u) -> newNonce(c, 204)));
        r.get("/acme/renewal-info/{id}", unauthenticated((c, u) -> renewals.renewalInfo(c)));
        r.post("/acme/new-account", byJwk(accounts::newAccount));
        r.post("/acme/revoke-cert", byJwkOrKid(renewals::revoke));
        r.post("/acme/acct/{id}", byKid(accounts::account));
        r.post("/acme/acct/{id}/orders", byKid(accounts::orders));
        r.post("/acme/key-change", byKid(accounts::keyChange));
        r.post("/acme/new-order", byKid(orders::newOrder));
        r.post("/acme/order/{id}", byKid(orders::order));
        r.post("/acme/order/{id}/finalize", byKid(finalizer::finalizeOrder));
        r.post("/acme/authz/{id}", byKid(orders::authorization));
        r.post("/acme/chall/{id}", byKid(orders::challenge));
        r.post("/acme/cert/{id}", byKid(finalizer::download));
    }

    /** Public: no JWS (the directory, nonces, renewal information). */
    private Handler unauthenticated(Route route) {
        return ctx -> run(ctx, route);
    }

    /** Signed with the key itself as {@code jwk}: the key is the identity (new account). */
    private Handler byJwk(SignedRoute route) {
        return signed(AcmeRequests.KeyRule.JWK, route);
    }

    /** Signed with an account URL as {@code kid}: a valid account, acting on its own objects only. */
    private Handler byKid(SignedRoute route) {
        return signed(AcmeRequests.KeyRule.KID, route);
    }

    /** Either: revocation by the ordering account or by the certificate's own key (RFC 8555 section 7.6). */
    private Handler byJwkOrKid(SignedRoute route) {
        return signed(AcmeRequests.KeyRule.EITHER, route);
    }

    /**
     * A fresh Replay-Nonce first (RFC 8555 section 6.5, also on errors, so a badNonce carries the nonce to
     * retry with), then the JWS checks, then the route.
     */
    private Handler signed(AcmeRequests.KeyRule rule, SignedRoute route) {
        return ctx -> run(ctx, (c, urls) -> {
            c.header("Replay-Nonce", nonces.issue());
            route.handle(c, urls, requests.authenticate(c, urls, rule));
        });
    }

    /**
     * Runs a route: the index Link first (RFC 8555 section 7.1), then the handler; any failure becomes a
     * problem document here, and nothing internal reaches the client.
     */
    private void run(Context ctx, Route route) {
        AcmeUrls urls;
        try {
            urls = new AcmeUrls(baseUrls.base(ctx));
        } catch (AcmeProblem p) {
            problem(ctx, p);
            return;
        }
        Replies.link(ctx, urls.directory(), "index");
        try {
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

    /** RFC 8555 section 7.2: HEAD answers 200, GET 204, neither cached. */
    private void newNonce(Context ctx, int status) {
        ctx.header("Replay-Nonce", nonces.issue());
        ctx.status(status).header("Cache-Control", "no-store");
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
