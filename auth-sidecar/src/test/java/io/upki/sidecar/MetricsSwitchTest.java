package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TestPki;
import io.upki.testkit.ops.Scrape;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --metrics on|off}: counted and scraped when on; no {@code /metrics} and the same decisions when off. */
class MetricsSwitchTest {
    @TempDir
    Path dir;
    private TestPki pki;

    private SidecarHarness start(boolean metrics) throws Exception {
        pki = new TestPki("Metrics");
        return SidecarHarness.startOn(pki, dir, 3, Clock.fixed(TestPki.NOW, ZoneOffset.UTC), metrics);
    }

    /** One allowed client request and one without a certificate; their statuses. */
    private List<Integer> twoDecisions(SidecarHarness sidecar) throws Exception {
        int allowed = sidecar.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", TestPki.base64(pki.client("bob")),
                "X-Forwarded-Uri", "/api/client/me")).statusCode();
        int refused = sidecar.get("/auth", Map.of("X-Forwarded-Uri", "/api/client/me")).statusCode();
        return List.of(allowed, refused);
    }

    private static HttpResponse<String> opsGet(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onCountsDecisionsInParsablePrometheusTextOnBothListeners() throws Exception {
        try (SidecarHarness sidecar = start(true)) {
            assertThat(twoDecisions(sidecar)).containsExactly(200, 403);
            Scrape scrape = Scrape.of(sidecar.get("/metrics", Map.of()).body());
            assertThat(scrape.value("upki_sidecar_decisions_total", "result", "allow", "reason", "ok")).isEqualTo(1.0);
            assertThat(scrape.value("upki_sidecar_decisions_total", "result", "deny", "reason", "no_certificate"))
                    .isEqualTo(1.0);
            int ops = sidecar.sidecar().startOps(new InetSocketAddress("127.0.0.1", 0));
            HttpResponse<String> m = opsGet(ops, "/metrics");
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(Scrape.of(m.body()).value("upki_sidecar_decisions_total", "result", "allow", "reason", "ok"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void offServesNoMetricsAndDecidesAsBefore() throws Exception {
        try (SidecarHarness sidecar = start(false)) {
            assertThat(twoDecisions(sidecar)).containsExactly(200, 403);
            assertThat(sidecar.get("/metrics", Map.of()).statusCode()).isEqualTo(404);
            assertThat(sidecar.get("/ready", Map.of()).statusCode()).isEqualTo(200);
            int ops = sidecar.sidecar().startOps(new InetSocketAddress("127.0.0.1", 0));
            HttpResponse<String> m = opsGet(ops, "/metrics");
            assertThat(m.statusCode()).isEqualTo(404);
            assertThat(m.body()).contains("metrics are off");
            assertThat(opsGet(ops, "/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theOptionTakesOnOrOffAndRefusesAnythingElse() {
        SidecarMain main = new SidecarMain();
        new CommandLine(main).parseArgs("--trust-anchor", "ca.crt", "--metrics", "OFF");
        assertThat(SidecarMain.metricsOn(main.metrics)).isFalse();
        SidecarMain byDefault = new SidecarMain();
        new CommandLine(byDefault).parseArgs("--trust-anchor", "ca.crt");
        // The default is on unless UPKI_METRICS says otherwise in this environment.
        assertThat(SidecarMain.metricsOn(byDefault.metrics)).isEqualTo(!"off".equalsIgnoreCase(System.getenv("UPKI_METRICS")));
        assertThat(SidecarMain.metricsOn("on")).isTrue();
        assertThatThrownBy(() -> SidecarMain.metricsOn("maybe")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metrics: on or off, not 'maybe'");
    }
}
