package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.testkit.ops.ExportedMetrics;
import io.upki.testkit.ops.Scrape.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/prometheus/ as Prometheus itself reads it: promtool checks the scrape configuration and the
 * alert rules and runs the rules' unit tests; every metric a rule reads is one the processes export.
 * promtool comes from Debian's prometheus package, which .ci/run installs; without it these tests fail.
 */
class PrometheusConfigTest {
    static final Path DIR = Repo.root().resolve("deploy/prometheus");

    @TempDir
    Path tmp;

    @Test
    void promtoolAcceptsTheScrapeConfigurationAndItsRules() {
        Promtool.Result config = Promtool.run(null, "check", "config", DIR.resolve("prometheus.yml").toString());
        assertThat(config.exit()).as(config.output()).isZero();
        assertThat(config.output()).contains("1 rule files found");
        Promtool.Result rules = Promtool.run(null, "check", "rules", DIR.resolve("upki-rules.yml").toString());
        assertThat(rules.exit()).as(rules.output()).isZero();
    }

    @Test
    void alertRulesFireAsTheirUnitTestsExpect() {
        Promtool.Result r = Promtool.run(null, "test", "rules", DIR.resolve("upki-rules.test.yml").toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void theRulesCoverCrlExpiryCaReadinessAndExpiringCertificates() throws Exception {
        List<String> alerts = new ArrayList<>();
        rules().forEach(rule -> alerts.add(rule.path("alert").asText()));
        assertThat(alerts).contains("UpkiCrlNearExpiry", "UpkiCrlExpired", "UpkiCaNotReady", "UpkiCertificatesExpiring");
    }

    @Test
    void everyMetricARuleReadsIsExported() throws Exception {
        Set<String> exported = ExportedMetrics.all();
        for (JsonNode rule : rules()) {
            String expr = rule.path("expr").asText();
            assertThat(MetricNames.in(expr)).as(rule.path("alert").asText() + ": " + expr).isNotEmpty()
                    .allSatisfy(name -> assertThat(exported).as(expr).contains(name));
        }
    }

    @Test
    void aBrokenRuleFileIsRefused() throws Exception {
        // The check can fail: the same rules with one expression broken are refused by promtool.
        String broken = Files.readString(DIR.resolve("upki-rules.yml"))
                .replace("upki_ca_ready == 0", "upki_ca_ready == == 0");
        Path file = Files.writeString(tmp.resolve("broken.yml"), broken);
        Promtool.Result r = Promtool.run(null, "check", "rules", file.toString());
        assertThat(r.exit()).isNotZero();
    }

    @Test
    void theNameExtractorFindsOurMetricsAndIgnoresTheRest() {
        assertThat(MetricNames.in("histogram_quantile(0.95, sum by (le) (rate(upki_ca_issuance_seconds_bucket[5m])))"
                + " or up{job=\"upki_fake\"} == 0 or jvm_memory_used_bytes{area=\"heap\"}"))
                .containsExactly("jvm_memory_used_bytes", "upki_ca_issuance_seconds_bucket");
    }

    static List<JsonNode> rules() throws Exception {
        JsonNode doc = Repo.YAML.readTree(DIR.resolve("upki-rules.yml").toFile());
        List<JsonNode> out = new ArrayList<>();
        doc.path("groups").forEach(g -> g.path("rules").forEach(out::add));
        assertThat(out).isNotEmpty();
        return out;
    }
}
