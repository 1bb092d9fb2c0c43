package io.upki.testkit.ops;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names each process exports, as Prometheus stores them. Each module's operations test
 * checks its list against a real scrape of the real listener; the deploy module checks that every
 * Grafana panel and alert rule names only metrics from these lists. A renamed metric thus fails a test
 * on both sides instead of leaving a dashboard panel empty.
 */
public final class ExportedMetrics {
    /** Micrometer's JVM binders, present in every process. */
    public static final List<String> JVM = List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes",
            "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_uptime_seconds", "process_cpu_usage");

    public static final List<String> CA_SERVER = with(JVM, "upki_ca_issuance_seconds_count",
            "upki_ca_issuance_seconds_sum", "upki_ca_issuance_seconds_bucket", "upki_ca_revocation_seconds_count",
            "upki_ca_revocation_seconds_sum", "upki_ca_revocation_seconds_bucket", "upki_ca_crl_number",
            "upki_ca_crl_age_seconds", "upki_ca_crl_seconds_to_next_update", "upki_ca_crl_entries",
            "upki_ca_crl_size_bytes", "upki_ca_certificates_expiring", "upki_ca_ready");

    public static final List<String> PUBLISHER = with(JVM, "upki_publisher_crl_number", "upki_publisher_crl_age_seconds",
            "upki_publisher_crl_seconds_to_next_update", "upki_publisher_crl_entries", "upki_publisher_crl_size_bytes",
            "upki_publisher_publications_total", "upki_publisher_rejections_total",
            "upki_publisher_write_failures_total", "upki_publisher_ca_failures_total", "upki_publisher_subscribers",
            "upki_publisher_ready", "upki_publisher_revocation_publication_seconds_count",
            "upki_publisher_revocation_publication_seconds_sum", "upki_publisher_revocation_publication_seconds_bucket");

    public static final List<String> SIDECAR = with(JVM, "upki_sidecar_decisions_total", "upki_sidecar_crl_number",
            "upki_sidecar_crl_age_seconds", "upki_sidecar_crl_seconds_to_next_update", "upki_sidecar_crl_entries",
            "upki_sidecar_crl_size_bytes", "upki_sidecar_crl_accepted_total", "upki_sidecar_crl_rejected_total",
            "upki_sidecar_cache_size", "upki_sidecar_cache_hit_ratio", "upki_sidecar_ready");

    public static final List<String> RA_CORE = with(JVM, "upki_ra_acme_orders", "upki_ra_ca_reachable",
            "upki_ra_ca_check_age_seconds", "upki_ra_ready");

    private ExportedMetrics() {
    }

    /** Every name any process exports. */
    public static Set<String> all() {
        Set<String> all = new TreeSet<>();
        all.addAll(CA_SERVER);
        all.addAll(PUBLISHER);
        all.addAll(SIDECAR);
        all.addAll(RA_CORE);
        return all;
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> out = new java.util.ArrayList<>(base);
        out.addAll(List.of(more));
        return List.copyOf(out);
    }
}
