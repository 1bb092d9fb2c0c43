package io.upki.acme;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.upki.acme.api.AcmeApi;
import io.upki.acme.api.ZmqCertificateAuthority;
import io.upki.acme.audit.AcmeAudit;
import io.upki.acme.config.AcmeSettings;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.AcmeStore;
import io.upki.acme.store.Challenge;
import io.upki.acme.store.Order;
import io.upki.acme.validation.ChallengeValidator;
import io.upki.acme.validation.Dns01Validator;
import io.upki.acme.validation.DnsResolver;
import io.upki.acme.validation.Http01Validator;
import io.upki.acme.validation.Resolver;
import io.upki.acme.validation.TlsAlpn01Validator;
import io.upki.acme.validation.ValidationService;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.process.DaemonThreads;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The ACME server's composition root: store ({@code acme.db} in the host's data directory, or a PostgreSQL
 * database that replicas share), nonces (in memory, or in that shared database), resolver,
 * validators, validation pool, the CA over ZeroMQ, and the routes it {@link #mount mounts} on the host's
 * server; closed with the host.
 */
public final class AcmeServer implements AutoCloseable {
    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(5);
    private final AcmeApi api;
    private final AcmeStore store;
    private final ValidationService validations;
    private final ScheduledExecutorService housekeeping;

    private AcmeServer(AcmeApi api, AcmeStore store, ValidationService validations, ScheduledExecutorService housekeeping) {
        this.api = api;
        this.store = store;
        this.validations = validations;
        this.housekeeping = housekeeping;
    }

    /**
     * Opens the store and starts validation and housekeeping.
     *
     * @param behindProxy edge mode: the scheme and host the client used come from the proxy's
     *     X-Forwarded-Proto/Host (they only decide which URL a client must sign, never who it is)
     * @param audit where accounts, issuance and revocation are recorded
     */
    public static AcmeServer start(AcmeSettings settings, CaClient ca, Path dataDir, boolean behindProxy, int maxBody,
                                   Clock clock, AcmeAudit audit) {
        SecureRandom random = new SecureRandom();
        AcmeStore store = AcmeStore.open(settings.storeIn(dataDir));
        Resolver resolver;
        if (settings.dns() == null) {
            resolver = DnsResolver.system();
        } else {
            var server = AcmeSettings.dnsServer(settings.dns());
            resolver = DnsResolver.server(server.host(), server.port(), random);
        }
        Map<String, ChallengeValidator> validators = Map.of(
                Challenge.HTTP_01, new Http01Validator(resolver, settings.networks(), settings.httpPort(),
                        VALIDATION_TIMEOUT),
                Challenge.DNS_01, new Dns01Validator(resolver),
                Challenge.TLS_ALPN_01, new TlsAlpn01Validator(resolver, settings.networks(), settings.tlsPort(),
                        VALIDATION_TIMEOUT, random));
        ValidationService validations = new ValidationService(store, validators, clock,
                Executors.newFixedThreadPool(4, DaemonThreads.named("acme-validation")));
        AcmeApi api = AcmeApi.create(settings, store, validations, new ZmqCertificateAuthority(ca), clock, random,
                baseUrls(settings.baseUrl(), behindProxy), maxBody, audit);
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("acme-housekeeping"));
        housekeeping.scheduleWithFixedDelay(api::purgeNonces, 1, 1, TimeUnit.MINUTES);
        return new AcmeServer(api, store, validations, housekeeping);
    }

    /** Orders per state, for the metrics. */
    public Map<Order.Status, Long> orderCounts() {
        return store.orders().countsByStatus();
    }

    /** Adds the {@code /acme/} routes to the host's server. */
    public void mount(JavalinConfig config) {
        api.register(config);
    }

    private static AcmeApi.BaseUrls baseUrls(String configured, boolean behindProxy) {
        if (configured != null) {
            String base = configured;
            return ctx -> base;
        }
        return ctx -> {
            String scheme = behindProxy ? forwarded(ctx, "X-Forwarded-Proto", ctx.scheme()) : ctx.scheme();
            String host = behindProxy ? forwarded(ctx, "X-Forwarded-Host", ctx.host()) : ctx.host();
            scheme = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || host == null
                    || !host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,262}")) {
                throw new AcmeProblem(AcmeError.MALFORMED, "the request's Host is not a host name");
            }
            return scheme + "://" + host;
        };
    }

    private static String forwarded(Context ctx, String header, String fallback) {
        String v = ctx.header(header);
        return v == null || v.isBlank() ? fallback : v.split(",")[0].strip();
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        validations.close();
        store.close();
    }
}
