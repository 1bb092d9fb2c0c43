package io.upki.sidecar.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crlfeed.CrlState;
import io.upki.pki.crlfeed.FeedHealth;
import io.upki.pki.ops.CrlFacts;
import io.upki.pki.ops.CrlGauges;
import io.upki.pki.ops.OpsMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sidecar's metrics through Micrometer: decisions per result and reason, the CRLs in force per
 * issuer, CRL acceptances and rejections, whether the crl-publishers answer, the verdict cache and
 * readiness, plus the JVM's.
 */
public final class SidecarMetrics implements AutoCloseable {
    private final OpsMetrics ops = new OpsMetrics();
    /** Per reason, the allow and deny counters: found without allocating on the warm path. */
    private final ConcurrentHashMap<String, Counter[]> decisions = new ConcurrentHashMap<>();

    public SidecarMetrics(Clock clock, CrlState crls, Cache<?, ?> cache, java.util.function.Supplier<FeedHealth> feed) {
        MeterRegistry r = ops.registry();
        CrlGauges.bind(ops, "upki.sidecar", clock, () -> facts(crls));
        CrlGauges.bindFeed(ops, "upki.sidecar", feed);
        FunctionCounter.builder("upki.sidecar.crl.accepted", crls, CrlState::acceptedCount)
                .description("CRLs accepted (newer, correctly signed, current).").register(r);
        FunctionCounter.builder("upki.sidecar.crl.rejected", crls, CrlState::rejectedCount)
                .description("CRLs refused by the acceptance checks.").register(r);
        Gauge.builder("upki.sidecar.cache.size", cache, Cache::estimatedSize)
                .description("Verified certificate paths in the verdict cache.").register(r);
        Gauge.builder("upki.sidecar.cache.hit.ratio", cache, c -> c.stats().hitRate())
                .description("Hit ratio of the verdict cache since start.").register(r);
        Gauge.builder("upki.sidecar.ready", crls, c -> c.ready() ? 1 : 0)
                .description("1 when every CA has a current CRL, else 0.").register(r);
    }

    /** Counts one forward-auth decision. */
    public void decision(String result, String reason) {
        Counter[] pair = decisions.get(reason);
        if (pair == null) {
            pair = decisions.computeIfAbsent(reason, k -> new Counter[] {counter("allow", k), counter("deny", k)});
        }
        pair["allow".equals(result) ? 0 : 1].increment();
    }

    private Counter counter(String result, String reason) {
        return Counter.builder("upki.sidecar.decisions").description("Forward-auth decisions by result and reason.")
                .tags("result", result, "reason", reason).register(ops.registry());
    }

    /** Every metric, in the Prometheus text format ({@link OpsMetrics#CONTENT_TYPE}). */
    public String render() {
        return ops.scrape();
    }

    /** Unhooks the JVM binders (GC notifications) from this registry. */
    @Override
    public void close() {
        ops.close();
    }

    private static List<CrlFacts> facts(CrlState crls) {
        List<CrlFacts> out = new ArrayList<>();
        for (CrlSnapshot s : crls.current().snapshots()) {
            out.add(new CrlFacts(s.issuer().getSubjectX500Principal().getName(), s.number(), s.thisUpdate(),
                    s.nextUpdate(), s.revokedSerials().size(), s.der() == null ? -1 : s.der().length));
        }
        return out;
    }
}
