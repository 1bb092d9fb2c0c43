package io.upki.ca.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.upki.ca.crl.CrlService;
import io.upki.ca.profile.ProfileRegistry;
import io.upki.ca.store.JdbcCertificateRepository;
import io.upki.ca.store.StoredCrl;
import io.upki.ca.wire.Params;
import io.upki.ca.wire.TaskHandler;
import io.upki.ca.wire.TaskTimer;
import io.upki.pki.ops.CrlFacts;
import io.upki.pki.ops.CrlGauges;
import io.upki.pki.ops.OpsMetrics;
import io.upki.pki.wire.CaProtocolException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CA's metrics: issuance and revocation latency and counts per task, profile and result, the
 * latest CRL, certificates expiring within 7 and 30 days, readiness, and the JVM's.
 */
public final class CaMetrics implements TaskTimer {
    private static final Set<String> ISSUANCE = Set.of("register", "generate", "sign", "renew", "renew_csr");
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final OpsMetrics ops = new OpsMetrics();
    private final ProfileRegistry profiles;
    private final JdbcCertificateRepository certificates;
    private final Clock clock;
    /** Each window of {@code upki.ca.certificates.expiring}, in days, and its latest count. */
    private final Map<Integer, AtomicLong> expiring = new LinkedHashMap<>();

    /** @param crls the CRL service of every live issuing-key generation (one gauge set per issuer) */
    public CaMetrics(ProfileRegistry profiles, JdbcCertificateRepository certificates,
                     java.util.function.Supplier<List<CrlService>> crls, Clock clock) {
        this.profiles = profiles;
        this.certificates = certificates;
        this.clock = clock;
        MeterRegistry r = ops.registry();
        CrlGauges.bind(ops, "upki.ca", clock, () -> {
            List<CrlFacts> facts = new java.util.ArrayList<>();
            for (CrlService s : crls.get()) {
                StoredCrl c = s.latest();
                if (c != null) {
                    facts.add(new CrlFacts(issuer(s), c.number(), c.thisUpdate(), c.nextUpdate(), s.latestEntries(),
                            c.der().length));
                }
            }
            return facts;
        });
        for (int days : new int[] {7, 30}) {
            AtomicLong count = new AtomicLong();
            expiring.put(days, count);
            Gauge.builder("upki.ca.certificates.expiring", count, AtomicLong::get).tag("within", days + "d")
                    .description("Certificates not revoked whose notAfter is within the next 7 or 30 days.").register(r);
        }
    }

    private static String issuer(CrlService crls) {
        return crls.issuerName();
    }

    /** Binds the readiness gauge: 1 when {@code readiness} answers ready. */
    public void bindReadiness(CaReadiness readiness) {
        Gauge.builder("upki.ca.ready", readiness, r -> r.get().ready() ? 1 : 0)
                .description("1 when the store is writable, the key signs and the latest CRL is current.")
                .register(ops.registry());
    }

    /** Re-counts the certificates expiring soon (a count query on the store; run every minute or so). */
    public void refreshExpiring() {
        Instant now = clock.instant();
        expiring.forEach((days, count) -> count.set(certificates.countExpiring(now, now.plus(Duration.ofDays(days)))));
    }

    @Override
    public Object run(String task, Params params, TaskHandler handler) {
        long started = System.nanoTime();
        String result = "error";
        try {
            Object out = handler.handle(params);
            result = "ok";
            return out;
        } catch (CaProtocolException e) {
            result = "refused";
            throw e;
        } finally {
            boolean issuance = ISSUANCE.contains(task);
            Timer.builder(issuance ? "upki.ca.issuance" : "upki.ca.revocation")
                    .description(issuance ? "Certificate issuance tasks by task, profile and result."
                            : "Revocation tasks (revoke, unrevoke, delete) by task and result.")
                    .tags("task", task, "result", result)
                    .tags(issuance ? List.of(io.micrometer.core.instrument.Tag.of("profile", profile(task, params)))
                            : List.of())
                    .serviceLevelObjectives(BUCKETS)
                    .register(ops.registry())
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The profile label: a profile the CA knows, else "unknown" (clients choose the text, and every
     * distinct label value is a new series). Renewals keep their certificate's profile: "renewal".
     */
    private String profile(String task, Params params) {
        if (task.startsWith("renew")) {
            return "renewal";
        }
        try {
            String name = params.string("profile", task.equals("register") ? "ra" : "server");
            return profiles.find(name).isPresent() ? name : "unknown";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    public String scrape() {
        return ops.scrape();
    }

    public void close() {
        ops.close();
    }
}
