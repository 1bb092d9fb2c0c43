package io.upki.sidecar.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.pki.peer.ProxyPeer;
import io.upki.sidecar.SidecarApp;
import io.upki.sidecar.proxy.ProxyPki.Client;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TlsClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 M1 against a real sidecar over HTTPS and a real upki CA: an administrator's certificate is
 * public, so sending it in the Traefik header must earn nobody an admin assertion except the proxy,
 * whose own TLS client certificate (profile {@code proxy}) the sidecar requires on every decision.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SidecarProxyCertificateTest {
    private ProxyPki pki;
    private SidecarHarness sidecar;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        pki = ProxyPki.mint(Files.createDirectories(dir.resolve("pki")));
        sidecar = pki.startSidecar("traefik");
    }

    @AfterAll
    void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (pki != null) {
            pki.close();
        }
    }

    /** The M1 request: a decision on the admin API with the administrator's public certificate in Traefik's header. */
    private HttpResponse<String> stolenAdminCertificate(SSLContext tls, String uri) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(sidecar.base() + "/auth")).timeout(Duration.ofSeconds(10))
                .header("X-Forwarded-Tls-Client-Cert", pki.admin.derBase64())
                .header("X-Forwarded-Method", "GET").header("X-Forwarded-Uri", uri).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private SSLContext as(Client client) throws Exception {
        return client == null ? TlsClients.context(null, null, pki.caCrt)
                : TlsClients.context(client.cert(), client.key(), pki.caCrt);
    }

    private static void assertRefused(HttpResponse<String> r, String detail) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue(SidecarApp.ASSERTION)).as("assertion handed out").isEmpty();
        assertThat(r.headers().firstValue(SidecarApp.ROLE)).isEmpty();
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("error");
        assertThat(body.path("reason").asText()).isEqualTo(ProxyPeer.REASON);
        assertThat(body.path("message").asText()).contains(detail);
        assertThat(r.headers().firstValue(SidecarApp.REFUSAL)).contains(ProxyPeer.REASON);
    }

    @Test
    void theProxyCertificateGetsTheAdministratorsDecision() throws Exception {
        HttpResponse<String> r = stolenAdminCertificate(as(pki.proxyClient), "/api/v1/health?case=proxy");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue(SidecarApp.ROLE)).contains("admin");
        assertThat(r.headers().firstValue(SidecarApp.ASSERTION)).hasValueSatisfying(a -> assertThat(a).isNotBlank());
    }

    @Test
    void withoutAClientCertificateTheStolenAdminCertificateEarnsNothing() throws Exception {
        assertRefused(stolenAdminCertificate(as(null), "/api/v1/health?case=none"), "present a certificate of the proxy profile");
    }

    @Test
    void theAdministratorsOwnTlsCertificateIsNotTheProxys() throws Exception {
        // Even the administrator, key in hand, cannot use the sidecar as an oracle: only the proxy may ask.
        assertRefused(stolenAdminCertificate(as(pki.admin), "/api/v1/health?case=admin-tls"), "not of upki's proxy profile");
    }

    @Test
    void aUserCertificateIsNotTheProxys() throws Exception {
        assertRefused(stolenAdminCertificate(as(pki.user), "/api/v1/health?case=user-tls"), "not of upki's proxy profile");
        assertRefused(stolenAdminCertificate(as(pki.listedAdmin), "/api/v1/health?case=listed-tls"),
                "not of upki's proxy profile");
    }

    @Test
    void aProxyCertificateOfAnotherCaIsRefused() throws Exception {
        assertRefused(stolenAdminCertificate(as(pki.foreignProxy), "/api/v1/health?case=foreign-proxy"),
                "does not chain to a trusted CA");
    }

    @Test
    void aRevokedProxyCertificateIsRefusedOnceTheCrlSaysSo() throws Exception {
        SSLContext revocable = as(pki.revocableProxy);
        assertThat(stolenAdminCertificate(revocable, "/api/v1/health?case=before").statusCode()).isEqualTo(200);
        pki.revoke(pki.revocableProxy);
        HttpResponse<String> r = null;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < end; ) {
            // A new client each time: a new TLS session, as a restarted proxy would make.
            r = stolenAdminCertificate(revocable, "/api/v1/health?case=after");
            if (r.statusCode() != 200) {
                break;
            }
            Thread.sleep(200);
        }
        assertRefused(r, "revoked");
        // The CRL does not disturb the proxy that is not revoked.
        assertThat(stolenAdminCertificate(as(pki.proxyClient), "/api/v1/health?case=other-proxy").statusCode()).isEqualTo(200);
    }

    @Test
    void probesNeedNoCertificateButMetricsAndRefreshDo() throws Exception {
        HttpClient anonymous = HttpClient.newBuilder().sslContext(as(null)).build();
        for (String path : new String[] {"/health", "/ready"}) {
            HttpResponse<String> r = anonymous.send(HttpRequest.newBuilder(URI.create(sidecar.base() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        }
        HttpResponse<String> metrics = anonymous.send(HttpRequest.newBuilder(URI.create(sidecar.base() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(metrics, "proxy profile");
        HttpResponse<String> refresh = anonymous.send(HttpRequest.newBuilder(URI.create(sidecar.base() + "/crl/refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(refresh, "proxy profile");
        for (String proxy : new String[] {"/auth/nginx", "/auth/caddy", "/auth/traefik"}) {
            HttpResponse<String> r = anonymous.send(HttpRequest.newBuilder(URI.create(sidecar.base() + proxy)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertRefused(r, "proxy profile");
        }
        assertThat(sidecar.get("/metrics", Map.of()).body()).contains("reason=\"" + ProxyPeer.REASON + "\"");
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNoDecision() {
        HttpClient plain = HttpClient.newHttpClient();
        String url = sidecar.base().replace("https://", "http://") + "/auth";
        assertThatThrownBy(() -> {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(url))
                    .header("X-Forwarded-Tls-Client-Cert", pki.admin.derBase64()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isNotEqualTo(200);
            throw new IOException("answered " + r.statusCode());
        }).isInstanceOf(IOException.class);
    }

    /**
     * {@code --ops-listen}: probes and Prometheus read health and metrics over plain HTTP on their own
     * port without a proxy certificate; that port answers nothing else, and no decision.
     */
    @Test
    void theOpsListenerServesProbesAndMetricsAndNoDecision() throws Exception {
        int port = sidecar.sidecar().startOps(new java.net.InetSocketAddress("127.0.0.1", 0));
        HttpClient plain = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        for (String path : new String[] {"/health", "/ready"}) {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        }
        HttpResponse<String> metrics = plain.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("upki_sidecar_ready");
        HttpResponse<String> auth = plain.send(HttpRequest.newBuilder(URI.create(base + "/auth/traefik"))
                .header("X-Forwarded-Tls-Client-Cert", pki.admin.derBase64())
                .header("X-Forwarded-Method", "GET").header("X-Forwarded-Uri", "/api/v1/health").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(auth.statusCode()).as(auth.body()).isEqualTo(404);
        assertThat(auth.headers().firstValue(SidecarApp.ASSERTION)).isEmpty();
        HttpResponse<String> post = plain.send(HttpRequest.newBuilder(URI.create(base + "/ready"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
