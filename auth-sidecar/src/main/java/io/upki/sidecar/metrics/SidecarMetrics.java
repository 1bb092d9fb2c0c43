package io.upki.sidecar.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crlfeed.CrlState;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and gauges in the Prometheus text exposition format (version 0.0.4). A handful of series
 * does not justify a metrics library; LongAdder keeps counting off the hot path's contention.
 */
public final class SidecarMetrics {
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final CrlState crls;
    private final Cache<?, ?> cache;

    public SidecarMetrics(Clock clock, CrlState crls, Cache<?, ?> cache) {
        this.clock = clock;
        this.crls = crls;
        this.cache = cache;
    }

    public void decision(String result, String reason) {
        decisions.computeIfAbsent(result + "\u0000" + reason, k -> new LongAdder()).increment();
    }

    public String render() {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("# HELP upki_sidecar_decisions_total Forward-auth decisions by result and reason.\n");
        sb.append("# TYPE upki_sidecar_decisions_total counter\n");
        new TreeMap<>(decisions).forEach((k, v) -> {
            String[] parts = k.split("\u0000", 2);
            sb.append("upki_sidecar_decisions_total{result=\"").append(parts[0]).append("\",reason=\"")
                    .append(parts[1]).append("\"} ").append(v.sum()).append('\n');
        });
        sb.append("# HELP upki_sidecar_crl_number CRL Number of the CRL in force, per issuer.\n");
        sb.append("# TYPE upki_sidecar_crl_number gauge\n");
        for (CrlSnapshot s : crls.current().snapshots()) {
            sb.append("upki_sidecar_crl_number{issuer=\"").append(label(s)).append("\"} ").append(s.number()).append('\n');
        }
        sb.append("# HELP upki_sidecar_crl_age_seconds Seconds since thisUpdate of the CRL in force.\n");
        sb.append("# TYPE upki_sidecar_crl_age_seconds gauge\n");
        for (CrlSnapshot s : crls.current().snapshots()) {
            sb.append("upki_sidecar_crl_age_seconds{issuer=\"").append(label(s)).append("\"} ")
                    .append(Duration.between(s.thisUpdate(), clock.instant()).toSeconds()).append('\n');
        }
        sb.append("# HELP upki_sidecar_crl_seconds_to_next_update Seconds until nextUpdate of the CRL in force.\n");
        sb.append("# TYPE upki_sidecar_crl_seconds_to_next_update gauge\n");
        for (CrlSnapshot s : crls.current().snapshots()) {
            sb.append("upki_sidecar_crl_seconds_to_next_update{issuer=\"").append(label(s)).append("\"} ")
                    .append(Duration.between(clock.instant(), s.nextUpdate()).toSeconds()).append('\n');
        }
        sb.append("# TYPE upki_sidecar_crl_accepted_total counter\nupki_sidecar_crl_accepted_total ")
                .append(crls.acceptedCount()).append('\n');
        sb.append("# TYPE upki_sidecar_crl_rejected_total counter\nupki_sidecar_crl_rejected_total ")
                .append(crls.rejectedCount()).append('\n');
        CacheStats stats = cache.stats();
        sb.append("# TYPE upki_sidecar_cache_size gauge\nupki_sidecar_cache_size ").append(cache.estimatedSize()).append('\n');
        sb.append("# TYPE upki_sidecar_cache_hit_ratio gauge\nupki_sidecar_cache_hit_ratio ")
                .append(String.format(java.util.Locale.ROOT, "%.4f", stats.hitRate())).append('\n');
        sb.append("# TYPE upki_sidecar_ready gauge\nupki_sidecar_ready ").append(crls.ready() ? 1 : 0).append('\n');
        return sb.toString();
    }

    private static String label(CrlSnapshot s) {
        return s.issuer().getSubjectX500Principal().getName().replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
