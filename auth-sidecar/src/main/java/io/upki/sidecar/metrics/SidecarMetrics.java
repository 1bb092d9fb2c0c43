package io.upki.sidecar.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
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
        CrlGauges.bind(ops, "upki.sidecar", clock, () -> facts(crls));
        CrlGauges.bindFeed(ops, "upki.sidecar", feed);
        ops.counter("upki.sidecar.crl.accepted", "CRLs accepted (newer, correctly signed, current).",
                crls, CrlState::acceptedCount);
        ops.counter("upki.sidecar.crl.deltas", "Delta CRLs applied on top of the complete CRL held.",
                crls, CrlState::deltaCount);
        ops.counter("upki.sidecar.crl.rejected", "CRLs refused by the acceptance checks.",
                crls, CrlState::rejectedCount);
        ops.gauge("upki.sidecar.cache.size", "Verified certificate paths in the verdict cache.",
                cache, Cache::estimatedSize);
        ops.gauge("upki.sidecar.cache.hit.ratio", "Hit ratio of the verdict cache since start.",
                cache, c -> c.stats().hitRate());
        ops.gauge("upki.sidecar.ready", "1 when every CA has a current CRL, else 0.", crls, c -> c.ready() ? 1 : 0);
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
            out.add(CrlFacts.of(s, s.der() == null ? -1 : s.der().length));
        }
        return out;
    }
}
