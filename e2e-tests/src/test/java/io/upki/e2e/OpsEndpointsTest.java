package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.ops.ExportedMetrics;
import io.upki.testkit.ops.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack `bin/upki up` starts: every process answers /health, /ready and /metrics on its real
 * listener (the CA on its operations listener), and each scrape holds the metrics the Grafana dashboard
 * and alert rules read (ExportedMetrics), checked by promtool.
 */
class OpsEndpointsTest {
    @TempDir
    Path tmp;

    @Test
    void everyProcessAnswersHealthReadyAndMetrics() throws Exception {
        try (LocalStack stack = LocalStack.up(tmp.resolve("home"))) {
            Path home = tmp.resolve("home");
            boolean edge = Files.readString(home.resolve("run/mode")).strip().equals("edge");
            Path caCrt = home.resolve("ca/ca.crt");
            HttpClient plain = HttpClient.newHttpClient();
            // The sidecar (always) and ra-core's edge listener serve HTTPS and answer /metrics (ra-core: every
            // route) only to the proxy's certificate, which bin/upki up issues for the nginx edge (issue #16 M1).
            MtlsClient proxy = edge ? new MtlsClient(home.resolve("edge/proxy.crt"), home.resolve("edge/proxy.key"), caCrt)
                    : new MtlsClient(null, null, caCrt);
            String ra = "https://127.0.0.1:" + (edge ? stack.raEdgePort : stack.raPort);
            check(url -> get(plain, url), "http://127.0.0.1:" + stack.caOpsPort, ExportedMetrics.CA_SERVER.stream()
                    .filter(n -> !n.startsWith("upki_ca_issuance") && !n.startsWith("upki_ca_revocation")
                            && !n.equals("upki_ca_crl_entries")).toList());
            check(url -> get(plain, url), "http://127.0.0.1:" + stack.publisherPort, ExportedMetrics.PUBLISHER);
            String sidecar = "https://127.0.0.1:" + stack.sidecarPort;
            if (edge) {
                check(proxy::get, sidecar, ExportedMetrics.SIDECAR);
            } else {
                // No proxy certificate without the edge: probes answer, metrics are refused.
                assertThat(proxy.get(sidecar + "/health").statusCode()).isEqualTo(200);
                assertThat(proxy.get(sidecar + "/metrics").statusCode()).isEqualTo(403);
            }
            check(proxy::get, ra, ExportedMetrics.RA_CORE.stream().filter(n -> !n.startsWith("upki_ra_acme_")).toList());
        }
    }

    /** How the test reaches one process. */
    interface Getter {
        HttpResponse<String> get(String url) throws Exception;
    }

    static void check(Getter http, String base, List<String> metrics) throws Exception {
        assertThat(http.get(base + "/health").statusCode()).as(base).isEqualTo(200);
        long deadline = System.nanoTime() + 60_000_000_000L;
        HttpResponse<String> ready = http.get(base + "/ready");
        while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            ready = http.get(base + "/ready");
        }
        assertThat(ready.statusCode()).as(base + " " + ready.body()).isEqualTo(200);
        Scrape scrape = Scrape.of(http.get(base + "/metrics").body());
        assertThat(scrape.names()).as(base).containsAll(metrics);
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
