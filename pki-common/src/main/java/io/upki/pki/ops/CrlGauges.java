package io.upki.pki.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.upki.pki.crlfeed.FeedHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The CRL gauges every process exports under its own prefix, one series per issuer: number, age
 * (since thisUpdate), seconds to nextUpdate, entries and DER size. Ages are computed at scrape time
 * from the injected clock, so a stale CRL shows as one without any CRL event.
 */
public final class CrlGauges {
    private CrlGauges() {
    }

    /**
     * Binds {@code <prefix>_crl_number}, {@code _crl_age_seconds}, {@code _crl_seconds_to_next_update},
     * {@code _crl_entries} and {@code _crl_size_bytes}.
     *
     * @param prefix e.g. {@code upki.sidecar}
     * @param crls the CRLs in force now (read before every scrape)
     */
    public static void bind(OpsMetrics metrics, String prefix, Clock clock, Supplier<Collection<CrlFacts>> crls) {
        var registry = metrics.registry();
        MultiGauge number = MultiGauge.builder(prefix + ".crl.number").description("CRL Number of the CRL in force.")
                .register(registry);
        MultiGauge age = MultiGauge.builder(prefix + ".crl.age.seconds")
                .description("Seconds since thisUpdate of the CRL in force.").register(registry);
        MultiGauge next = MultiGauge.builder(prefix + ".crl.seconds.to.next.update")
                .description("Seconds until nextUpdate of the CRL in force (negative once it has passed).")
                .register(registry);
        MultiGauge entries = MultiGauge.builder(prefix + ".crl.entries")
                .description("Revoked certificates listed in the CRL in force.").register(registry);
        MultiGauge size = MultiGauge.builder(prefix + ".crl.size").baseUnit("bytes")
                .description("DER size of the CRL in force.").register(registry);
        metrics.beforeScrape(() -> {
            List<MultiGauge.Row<?>> n = new ArrayList<>();
            List<MultiGauge.Row<?>> a = new ArrayList<>();
            List<MultiGauge.Row<?>> x = new ArrayList<>();
            List<MultiGauge.Row<?>> e = new ArrayList<>();
            List<MultiGauge.Row<?>> s = new ArrayList<>();
            for (CrlFacts f : crls.get()) {
                Tags tags = Tags.of("issuer", f.issuer());
                n.add(MultiGauge.Row.of(tags, f.number().doubleValue()));
                a.add(MultiGauge.Row.of(tags, f, c -> Duration.between(c.thisUpdate(), clock.instant()).toSeconds()));
                x.add(MultiGauge.Row.of(tags, f, c -> Duration.between(clock.instant(), c.nextUpdate()).toSeconds()));
                if (f.entries() >= 0) {
                    e.add(MultiGauge.Row.of(tags, f.entries()));
                }
                if (f.bytes() >= 0) {
                    s.add(MultiGauge.Row.of(tags, f.bytes()));
                }
            }
            number.register(n, true);
            age.register(a, true);
            next.register(x, true);
            entries.register(e, true);
            size.register(s, true);
        });
    }

    /**
     * Binds {@code <prefix>_crl_publishers_answering}, {@code _crl_feed_degraded} (1 while no crl-publisher
     * answers) and {@code _crl_ca_fallback} (1 while CRLs come from the CA itself).
     */
    public static void bindFeed(OpsMetrics metrics, String prefix, Supplier<FeedHealth> health) {
        var registry = metrics.registry();
        // Strong references: the supplier is often a method reference no one else holds, and a gauge
        // keeps its state object weakly (it would read NaN after the next collection).
        Gauge.builder(prefix + ".crl.publishers.answering", health, h -> h.get().answering()).strongReference(true)
                .description("crl-publishers whose push channel answers now.").register(registry);
        Gauge.builder(prefix + ".crl.feed.degraded", health, h -> h.get().degraded() ? 1 : 0).strongReference(true)
                .description("1 while no crl-publisher answers, else 0.").register(registry);
        Gauge.builder(prefix + ".crl.ca.fallback", health, h -> h.get().mode() == FeedHealth.Mode.CA_FALLBACK ? 1 : 0)
                .strongReference(true)
                .description("1 while CRLs come from the CA's get_crl and event feed, else 0.").register(registry);
    }
}
