package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.ops.ExportedMetrics;
import io.upki.testkit.ops.Scrape;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
            HttpClient plain = HttpClient.newHttpClient();
            HttpClient tls = HttpClient.newBuilder().sslContext(trusting(home.resolve("ca/ca.crt"))).build();
            String ra = edge ? "http://127.0.0.1:" + stack.raEdgePort : "https://127.0.0.1:" + stack.raPort;
            Map<String, List<String>> processes = Map.of(
                    "http://127.0.0.1:" + stack.caOpsPort, ExportedMetrics.CA_SERVER.stream()
                            .filter(n -> !n.startsWith("upki_ca_issuance") && !n.startsWith("upki_ca_revocation")
                                    && !n.equals("upki_ca_crl_entries")).toList(),
                    "http://127.0.0.1:" + stack.publisherPort, ExportedMetrics.PUBLISHER,
                    "http://127.0.0.1:" + stack.sidecarPort, ExportedMetrics.SIDECAR,
                    ra, ExportedMetrics.RA_CORE.stream().filter(n -> !n.startsWith("upki_ra_acme_")).toList());
            for (var p : processes.entrySet()) {
                HttpClient http = p.getKey().startsWith("https") ? tls : plain;
                assertThat(get(http, p.getKey() + "/health").statusCode()).as(p.getKey()).isEqualTo(200);
                long deadline = System.nanoTime() + 60_000_000_000L;
                HttpResponse<String> ready = get(http, p.getKey() + "/ready");
                while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    ready = get(http, p.getKey() + "/ready");
                }
                assertThat(ready.statusCode()).as(p.getKey() + " " + ready.body()).isEqualTo(200);
                Scrape scrape = Scrape.of(get(http, p.getKey() + "/metrics").body());
                assertThat(scrape.names()).as(p.getKey()).containsAll(p.getValue());
            }
        }
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static SSLContext trusting(Path caCrt) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caCrt)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
