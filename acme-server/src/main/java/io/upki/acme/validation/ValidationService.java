package io.upki.acme.validation;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.AcmeStore;
import io.upki.acme.store.Authorization;
import io.upki.acme.store.Challenge;
import io.upki.acme.store.Lifecycle;
import io.upki.acme.store.Order;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a challenge's validation once it is answered (RFC 8555 section 7.5.1) on a bounded pool and
 * records the outcome atomically: the challenge, its authorization, and the order's readiness. Every
 * authorization becomes valid only here, after its challenge was checked against the identifier.
 */
public final class ValidationService implements AutoCloseable {
    private static final Logger AUDIT = LoggerFactory.getLogger("upki.audit");
    private final AcmeStore store;
    private final Map<String, ChallengeValidator> validators;
    private final Clock clock;
    private final ExecutorService pool;

    public ValidationService(AcmeStore store, Map<String, ChallengeValidator> validators, Clock clock, ExecutorService pool) {
        this.store = store;
        this.validators = Map.copyOf(validators);
        this.clock = clock;
        this.pool = pool;
    }

    /** RFC 8555 section 8.1: {@code token || '.' || base64url(Thumbprint(accountKey))}. */
    public static String keyAuthorization(String token, String thumbprint) {
        return token + "." + thumbprint;
    }

    /**
     * Starts validating a pending challenge of a pending authorization and waits up to {@code wait} for the
     * outcome, so a quick client usually sees the final status in the response; a slower one polls.
     */
    public void start(Challenge challenge, Authorization authz, String thumbprint, Duration wait) {
        if (!store.challenges().start(challenge.id())) {
            return; // already processing or decided: answering it again changes nothing
        }
        Future<?> f = pool.submit(() -> run(challenge, authz, thumbprint));
        try {
            f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still running: the client polls (Retry-After)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LoggerFactory.getLogger(ValidationService.class).error("validation failed unexpectedly", e.getCause());
        }
    }

    private void run(Challenge challenge, Authorization authz, String thumbprint) {
        ChallengeValidator validator = validators.get(challenge.type());
        AcmeProblem problem = null;
        try {
            if (validator == null) {
                throw new AcmeProblem(AcmeError.MALFORMED, "unsupported challenge type");
            }
            validator.validate(authz.identifier(), challenge.token(), keyAuthorization(challenge.token(), thumbprint));
        } catch (AcmeProblem p) {
            problem = p;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ValidationService.class).error("validation error", e);
            problem = new AcmeProblem(AcmeError.SERVER_INTERNAL, "the validation could not be completed");
        }
        try {
            record(challenge, authz, problem);
        } catch (RuntimeException e) {
            // never leave a challenge processing forever: the client would poll until it gives up
            LoggerFactory.getLogger(ValidationService.class).error("cannot record a validation outcome", e);
            store.challenges().update(challenge.with(Challenge.Status.INVALID, null,
                    new AcmeProblem(AcmeError.SERVER_INTERNAL, "the validation outcome could not be recorded").document().toString()));
        }
    }

    private void record(Challenge challenge, Authorization authz, AcmeProblem problem) {
        boolean ok = problem == null;
        String error = ok ? null : problem.document().toString();
        store.transaction(() -> {
            // The order's row first: outcomes for two authorizations of one order (perhaps on two replicas)
            // then decide the order's status one after the other, each seeing the other's result.
            Order order = store.orders().lock(authz.orderId()).orElseThrow();
            Authorization current = Lifecycle.current(store.authorizations().get(authz.id()).orElseThrow(), clock.instant());
            Authorization.Status decided = ok ? Authorization.Status.VALID : Authorization.Status.INVALID;
            if (current.status() != Authorization.Status.PENDING
                    || !store.authorizations().transition(current.id(), Authorization.Status.PENDING, decided)) {
                // expired or deactivated meanwhile: the outcome no longer authorizes anything
                store.challenges().update(challenge.with(Challenge.Status.INVALID, null, new AcmeProblem(AcmeError.UNAUTHORIZED,
                        "the authorization is " + current.status().name().toLowerCase(java.util.Locale.ROOT)).document().toString()));
                return;
            }
            store.challenges().update(challenge.with(ok ? Challenge.Status.VALID : Challenge.Status.INVALID,
                    ok ? clock.instant() : null, error));
            List<Authorization> all = new ArrayList<>();
            for (String id : order.authorizationIds()) {
                all.add(Lifecycle.current(store.authorizations().get(id).orElseThrow(), clock.instant()));
            }
            Order.Status next = Lifecycle.derive(order, all, clock.instant());
            if (next != order.status()) {
                store.orders().advance(order.id(), order.status(), next, next == Order.Status.INVALID ? error : null);
            }
        });
        AUDIT.info("audit action=\"acme-validate {}\" who=\"acct:{}\" serial=- result=\"{}\" identifier=\"{}\"",
                challenge.type(), authz.accountId(), ok ? "valid" : "invalid " + problem.type().urn(), authz.identifier().value());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
