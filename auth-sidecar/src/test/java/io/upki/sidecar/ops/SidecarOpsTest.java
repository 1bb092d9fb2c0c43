package io.upki.sidecar.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TestPki;
import io.upki.testkit.clock.MutableClock;
import io.upki.testkit.ops.ExportedMetrics;
import io.upki.testkit.ops.Scrape;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health, /ready and /metrics of a real sidecar listener; the scrape is checked by promtool. */
class SidecarOpsTest {
    @TempDir
    Path dir;

    @Test
    void healthReadyAndMetricsAnswerAndAStaleCrlMakesItNotReady() throws Exception {
        TestPki pki = new TestPki("Ops");
        MutableClock clock = MutableClock.at(TestPki.NOW);
        try (SidecarHarness sidecar = SidecarHarness.startOn(pki, dir, 7, clock, true)) {
            assertThat(sidecar.get("/health", Map.of()).statusCode()).isEqualTo(200);
            assertThat(sidecar.get("/ready", Map.of()).statusCode()).isEqualTo(200);
            sidecar.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", TestPki.base64(pki.client("bob")),
                    "X-Forwarded-Uri", "/api/client/me"));
            sidecar.get("/auth", Map.of("X-Forwarded-Uri", "/api/client/me"));

            HttpResponse<String> m = sidecar.get("/metrics", Map.of());
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            Scrape scrape = Scrape.of(m.body());
            assertThat(scrape.names()).containsAll(ExportedMetrics.SIDECAR);
            assertThat(scrape.value("upki_sidecar_decisions_total", "result", "allow", "reason", "ok")).isEqualTo(1.0);
            assertThat(scrape.value("upki_sidecar_decisions_total", "result", "deny", "reason", "no_certificate"))
                    .isEqualTo(1.0);
            assertThat(scrape.find("upki_sidecar_crl_number")).hasSize(2).extracting(Scrape.Sample::value)
                    .containsOnly(7.0);
            assertThat(scrape.find("upki_sidecar_crl_seconds_to_next_update"))
                    .allSatisfy(s -> assertThat(s.value()).isPositive());
            assertThat(scrape.value("upki_sidecar_ready")).isEqualTo(1.0);

            // Past the CRLs' nextUpdate (and the grace): not ready, with a reason, and the gauges say why.
            clock.set(TestPki.NOW.plus(Duration.ofDays(30)));
            HttpResponse<String> r = sidecar.get("/ready", Map.of());
            assertThat(r.statusCode()).isEqualTo(503);
            var body = new ObjectMapper().readTree(r.body());
            assertThat(body.get("status").asText()).isEqualTo("not ready");
            assertThat(body.get("reason").asText()).contains("CRL");
            Scrape stale = Scrape.of(sidecar.get("/metrics", Map.of()).body());
            assertThat(stale.value("upki_sidecar_ready")).isZero();
            assertThat(stale.find("upki_sidecar_crl_seconds_to_next_update"))
                    .allSatisfy(s -> assertThat(s.value()).isNegative());
            assertThat(sidecar.get("/health", Map.of()).statusCode()).isEqualTo(200);
        }
    }
}
