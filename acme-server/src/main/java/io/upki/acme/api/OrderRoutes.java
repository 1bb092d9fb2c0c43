package io.upki.acme.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Account;
import io.upki.acme.store.AcmeStore;
import io.upki.acme.store.Authorization;
import io.upki.acme.store.Challenge;
import io.upki.acme.store.Identifier;
import io.upki.acme.store.Order;
import io.upki.acme.validation.ValidationService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders, authorizations and challenges (RFC 8555 sections 7.4 and 7.5): a new order gets one fresh
 * authorization per identifier with the challenges that can prove it; answering a challenge starts its
 * validation, the only way an authorization becomes valid.
 */
final class OrderRoutes {
    /** How long the challenge response waits for a quick validation before answering "processing". */
    private static final Duration VALIDATION_WAIT = Duration.ofSeconds(8);
    private final Resources resources;
    private final AcmeStore store;
    private final ValidationService validations;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration orderLifetime;
    private final Duration authzLifetime;
    private final Renewals renewals;
    private final io.upki.acme.validation.NetworkPolicy networks;

    OrderRoutes(Resources resources, AcmeStore store, ValidationService validations, Clock clock,
                SecureRandom random, Duration orderLifetime, Duration authzLifetime, Renewals renewals,
                io.upki.acme.validation.NetworkPolicy networks) {
        this.networks = networks;
        this.resources = resources;
        this.store = store;
        this.validations = validations;
        this.clock = clock;
        this.random = random;
        this.orderLifetime = orderLifetime;
        this.authzLifetime = authzLifetime;
        this.renewals = renewals;
    }

    void newOrder(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        ObjectNode payload = req.payload();
        if (payload.hasNonNull("notBefore") || payload.hasNonNull("notAfter")) {
            // RFC 8555 section 7.4: the validity comes from the CA profile here.
            throw new AcmeProblem(AcmeError.MALFORMED, "notBefore and notAfter are not supported: the profile sets validity");
        }
        List<Identifier> identifiers = Identifiers.parse(payload.get("identifiers"), networks);
        String replaces = AcmeRequest.text(payload, "replaces", 256);
        if (replaces != null) {
            renewals.checkReplaceable(replaces, req.account());
        }
        Instant now = clock.instant();
        String orderId = Ids.random(random);
        List<Authorization> authzs = new ArrayList<>();
        List<Challenge> challenges = new ArrayList<>();
        for (Identifier id : identifiers) {
            boolean wildcard = id.value().startsWith("*.");
            Identifier base = wildcard ? new Identifier(Identifier.DNS, id.value().substring(2)) : id;
            Authorization a = new Authorization(Ids.random(random), req.account().id(), orderId, base, wildcard,
                    Authorization.Status.PENDING, now.plus(authzLifetime));
            authzs.add(a);
            for (String type : challengeTypes(base, wildcard)) {
                challenges.add(new Challenge(Ids.random(random), a.id(), type, Ids.token(random), Challenge.Status.PENDING,
                        null, null));
            }
        }
        Order order = new Order(orderId, req.account().id(), Order.Status.PENDING, now.plus(orderLifetime), identifiers,
                authzs.stream().map(Authorization::id).toList(), null, null, replaces);
        store.transaction(() -> {
            store.orders().insert(order);
            authzs.forEach(store.authorizations()::insert);
            challenges.forEach(store.challenges()::insert);
        });
        Replies.location(ctx, urls.order(orderId));
        Replies.json(ctx, 201, resources.order(order, urls));
    }

    /** RFC 8555 sections 7.1.4 and 8: which challenges can prove an identifier. */
    private static List<String> challengeTypes(Identifier id, boolean wildcard) {
        if (wildcard) {
            return List.of(Challenge.DNS_01);
        }
        if (id.isIp()) {
            return List.of(Challenge.HTTP_01, Challenge.TLS_ALPN_01); // RFC 8738 section 7
        }
        return List.of(Challenge.HTTP_01, Challenge.DNS_01, Challenge.TLS_ALPN_01);
    }

    void order(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        req.requirePostAsGet();
        Order order = ownOrder(resources.order(ctx.pathParam("id")), req.account());
        if (order.status() == Order.Status.PENDING || order.status() == Order.Status.PROCESSING) {
            Replies.retryAfter(ctx);
        }
        Replies.json(ctx, 200, resources.order(order, urls));
    }

    void authorization(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        Authorization authz = ownAuthorization(resources.authorization(ctx.pathParam("id")), req.account());
        if (!req.postAsGet()) {
            // RFC 8555 section 7.5.2: the only change a client may ask for is deactivation.
            if (!"deactivated".equals(req.payload().path("status").asText())) {
                throw new AcmeProblem(AcmeError.MALFORMED, "an authorization can only be deactivated");
            }
            if (authz.status() != Authorization.Status.PENDING && authz.status() != Authorization.Status.VALID) {
                throw new AcmeProblem(AcmeError.MALFORMED, "only pending or valid authorizations can be deactivated");
            }
            authz = authz.withStatus(Authorization.Status.DEACTIVATED);
            store.authorizations().update(authz);
        }
        if (authz.status() == Authorization.Status.PENDING) {
            Replies.retryAfter(ctx);
        }
        Replies.json(ctx, 200, resources.authorization(authz, urls));
    }

    void challenge(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        Challenge challenge = store.challenges().get(ctx.pathParam("id")).orElseThrow(() -> notFound("challenge"));
        Authorization authz = ownAuthorization(resources.authorization(challenge.authorizationId()), req.account());
        if (!req.postAsGet()) {
            // RFC 8555 section 7.5.1: the client says it is ready with an empty JSON object.
            if (!req.payload().isEmpty()) {
                throw new AcmeProblem(AcmeError.MALFORMED, "a challenge is answered with an empty JSON object");
            }
            if (authz.status() == Authorization.Status.PENDING && challenge.status() == Challenge.Status.PENDING) {
                validations.start(challenge, authz, req.account().thumbprint(), VALIDATION_WAIT);
                challenge = store.challenges().get(challenge.id()).orElseThrow();
            }
        }
        if (challenge.status() == Challenge.Status.PROCESSING) {
            Replies.retryAfter(ctx);
        }
        Replies.link(ctx, urls.authorization(authz.id()), "up");
        Replies.json(ctx, 200, resources.challenge(challenge, urls));
    }

    static Order ownOrder(Order order, Account account) throws AcmeProblem {
        if (order == null) {
            throw notFound("order");
        }
        if (!order.accountId().equals(account.id())) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "this order belongs to another account");
        }
        return order;
    }

    private static Authorization ownAuthorization(Authorization authz, Account account) throws AcmeProblem {
        if (authz == null) {
            throw notFound("authorization");
        }
        if (!authz.accountId().equals(account.id())) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "this authorization belongs to another account");
        }
        return authz;
    }

    static AcmeProblem notFound(String what) {
        return AcmeProblem.withStatus(AcmeError.MALFORMED, 404, "no such " + what);
    }
}
