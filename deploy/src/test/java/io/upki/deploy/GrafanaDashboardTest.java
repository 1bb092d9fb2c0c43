package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.testkit.ops.ExportedMetrics;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/upki-dashboard.json parses, and every panel's queries read only metrics the processes
 * export (ExportedMetrics, which each process's own test checks against a real scrape): a renamed
 * metric fails here instead of leaving a panel empty.
 */
class GrafanaDashboardTest {
    static final Path FILE = Repo.root().resolve("deploy/grafana/upki-dashboard.json");

    @Test
    void everyPanelQueriesExportedMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(FILE.toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        JsonNode panels = dashboard.path("panels");
        assertThat(panels.size()).isGreaterThan(5);
        Set<String> exported = ExportedMetrics.all();
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(panel.path("targets").size()).as(title).isPositive();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Set<String> names = MetricNames.in(expr);
                assertThat(names).as(title + ": " + expr).isNotEmpty();
                assertThat(exported).as(title + ": " + expr).containsAll(names);
                used.addAll(names);
            }
        }
        // The dashboard shows what matters: issuance, revocation-to-publication, CRL currency, decisions, expiry.
        assertThat(used).contains("upki_ca_issuance_seconds_count", "upki_publisher_revocation_publication_seconds_bucket",
                "upki_sidecar_crl_seconds_to_next_update", "upki_sidecar_decisions_total", "upki_ca_certificates_expiring",
                "upki_ra_acme_orders");
    }
}
