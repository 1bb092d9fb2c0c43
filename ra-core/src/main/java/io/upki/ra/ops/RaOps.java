package io.upki.ra.ops;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.crlfeed.CrlState;
import io.upki.pki.crlfeed.FeedHealth;
import io.upki.pki.ops.CrlGauges;
import io.upki.pki.ops.OpsMetrics;
import io.upki.pki.ops.Readiness;
import io.upki.acme.AcmeServer;
import io.upki.acme.store.Order;
import io.upki.pki.process.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RA's {@code /health}, {@code /ready} and {@code /metrics}. Whether the CA answers is found out by
 * a background {@code get_ca} every {@code interval}, never by the probe itself: a probe that called
 * the CA would add load exactly when the CA is slow, and would take the probe's timeout with it. Ready
 * means the last CA call succeeded within three intervals and every CA's CRL is current.
 */
public final class RaOps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RaOps.class);

    private final OpsMetrics ops = new OpsMetrics();
    private final CertificateAuthorityClient ca;
    private final CrlState crls;
    private final Supplier<FeedHealth> feed;
    private final AcmeServer acme;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private final Map<Order.Status, AtomicLong> orders = new EnumMap<>(Order.Status.class);
    private volatile Instant lastSuccess;
    private volatile String lastError = "not checked yet";

    /** Without a CRL feed to report on (tests of the CA check alone). */
    public RaOps(CaClient ca, CrlState crls, AcmeServer acme, Clock clock, Duration interval) {
        this(ca, crls, () -> new FeedHealth(FeedHealth.Mode.NOT_WATCHED, 0, 0, false), acme, clock, interval);
    }

    /**
     * @param feed whether the crl-publishers answer, reported in {@code /ready} and the metrics
     * @param acme the ACME feature, or null when it is off (no order gauges then)
     */
    public RaOps(CaClient ca, CrlState crls, Supplier<FeedHealth> feed, AcmeServer acme, Clock clock, Duration interval) {
        this.ca = new TypedCaClient(ca);
        this.crls = crls;
        this.feed = feed;
        this.acme = acme;
        this.clock = clock;
        this.interval = interval;
        MeterRegistry r = ops.registry();
        CrlGauges.bindFeed(ops, "upki.ra", feed);
        Gauge.builder("upki.ra.ca.reachable", this, o -> o.caReachable() ? 1 : 0)
                .description("1 when the last background call to the CA succeeded recently, else 0.").register(r);
        Gauge.builder("upki.ra.ca.check.age.seconds", this, o -> o.lastSuccess == null ? -1
                        : Duration.between(o.lastSuccess, clock.instant()).toSeconds())
                .description("Seconds since the CA last answered the background check (-1: never).").register(r);
        Gauge.builder("upki.ra.ready", this, o -> o.readiness().ready() ? 1 : 0)
                .description("1 when the CA is reachable and every CA's CRL is current, else 0.").register(r);
        if (acme != null) {
            for (Order.Status s : Order.Status.values()) {
                AtomicLong count = new AtomicLong();
                orders.put(s, count);
                Gauge.builder("upki.ra.acme.orders", count, AtomicLong::get).tag("state", s.name().toLowerCase())
                        .description("ACME orders in each state (RFC 8555 section 7.1.6).").register(r);
            }
        }
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ra-ops"));
        timer.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Adds the three routes; they need no authentication (see RaApi: paths outside /api are public). */
    public void register(JavalinConfig config) {
        config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        config.routes.get("/ready", ctx -> {
            Readiness r = readiness();
            ctx.status(r.status()).json(r.body());
        });
        config.routes.get("/metrics", ctx -> ctx.contentType(OpsMetrics.CONTENT_TYPE).result(metricsText()));
    }

    /** The Prometheus text of {@code /metrics}. */
    public String metricsText() {
        return ops.scrape();
    }

    /** The CA's reachability from the last background check, and the CRLs' currency now. */
    public Readiness readiness() {
        Readiness caCheck = caReachable() ? Readiness.OK
                : Readiness.notReady("ca: not reachable (" + lastError + ")");
        Readiness crlCheck = crls.ready() ? Readiness.OK
                : Readiness.notReady("crl: no current CRL for every CA (missing, or past its nextUpdate)");
        // Whether the publishers answer is said beside, never by the status (see the sidecar's /ready).
        return Readiness.all(List.of(caCheck, crlCheck)).with("crl_feed", feed.get().body());
    }

    private boolean caReachable() {
        Instant ok = lastSuccess;
        return ok != null && lastError == null
                && Duration.between(ok, clock.instant()).compareTo(interval.multipliedBy(3)) < 0;
    }

    private void check() {
        try {
            ca.caCertificate();
            lastSuccess = clock.instant();
            lastError = null;
        } catch (RuntimeException e) {
            if (lastError == null) {
                LOG.warn("the CA does not answer: {}", e.getMessage());
            }
            lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        if (acme != null) {
            try {
                Map<Order.Status, Long> counts = acme.orderCounts();
                orders.forEach((s, c) -> c.set(counts.getOrDefault(s, 0L)));
            } catch (RuntimeException e) {
                LOG.warn("cannot count ACME orders: {}", e.getMessage());
            }
        }
    }

    /** Runs the background check now (tests). */
    public void checkNow() {
        try {
            timer.submit(this::check).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("check did not finish", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        ops.close();
    }
}
