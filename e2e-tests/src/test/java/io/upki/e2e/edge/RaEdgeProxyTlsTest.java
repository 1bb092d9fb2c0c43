package io.upki.e2e.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.peer.ProxyPeer;
import io.upki.ra.RaConfig;
import io.upki.ra.RaStack;
import io.upki.sidecar.Sidecar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #16 M1 on ra-core's edge listener with {@code --edge-tls}: a sidecar assertion alone no longer
 * opens the RA. The caller must also be the proxy (a client certificate of upki's {@code proxy} profile,
 * not revoked); the proxy in turn still needs a valid assertion.
 */
class RaEdgeProxyTlsTest {
    @RegisterExtension
    static final RaStack stack = RaStack.forClass(RaConfig.Mode.EDGE, true);
    static Sidecar sidecar;
    static String ra;
    static RaStack.Client admin;
    static RaStack.Client user;
    static RaStack.Client proxy;

    @BeforeAll
    static void start() throws Exception {
        ra = "https://127.0.0.1:" + stack.ra.port();
        sidecar = stack.closeAfter(EdgeSidecars.register(stack, "tls-edge-sidecar", Clock.systemUTC()));
        admin = stack.issue("admin.example.internal", "admin");
        user = stack.issue("user.example.internal", "user");
        proxy = stack.issue("edge-proxy", "proxy");
    }

    /** An administrator's assertion for GET /api/v1/health, as the sidecar hands it to the proxy. */
    static String adminAssertion(String uri) throws Exception {
        HttpResponse<String> auth = RaEdgeModeTest.auth(sidecar, admin, "GET", uri);
        assertThat(auth.statusCode()).as(auth.body()).isEqualTo(200);
        return auth.headers().firstValue("X-Upki-Assertion").orElseThrow();
    }

    static HttpResponse<String> get(HttpClient client, String uri, String assertion) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ra + uri)).timeout(Duration.ofSeconds(15));
        if (assertion != null) {
            b.header("X-Upki-Assertion", assertion);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void refusedAsNotTheProxy(HttpResponse<String> r, String detail) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("\"reason\":\"" + ProxyPeer.REASON + "\"").contains(detail);
    }

    @Test
    void aStolenAssertionWithoutTheProxyCertificateIsRefused() throws Exception {
        String uri = "/api/v1/health?case=stolen";
        String stolen = adminAssertion(uri);
        refusedAsNotTheProxy(get(stack.https(null), uri, stolen), "present a certificate of the proxy profile");
        // The administrator's own certificate, key in hand, is not the proxy's either, nor a user's.
        refusedAsNotTheProxy(get(stack.https(admin), uri, stolen), "not of upki's proxy profile");
        refusedAsNotTheProxy(get(stack.https(user), uri, stolen), "not of upki's proxy profile");
        // The very same assertion (a GET's may be reused while valid) works for the proxy.
        HttpResponse<String> ok = get(stack.https(proxy), uri, stolen);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("\"role\":\"admin\"", "admin.example.internal");
    }

    @Test
    void theProxyStillNeedsAnAssertion() throws Exception {
        HttpResponse<String> r = get(stack.https(proxy), "/api/v1/health?case=no-assertion", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("\"reason\":\"no_certificate\"");
        HttpResponse<String> forged = get(stack.https(proxy), "/api/v1/health?case=forged", "eyJhbGciOiJub25lIn0.e30.");
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        assertThat(forged.body()).contains("\"reason\":\"invalid_assertion\"");
    }

    @Test
    void everyProtectedRouteOfTheEdgeListenerServesOnlyTheProxy() throws Exception {
        for (String uri : new String[] {"/api/client/certificate", "/api/v1/health", "/api/v1/certificates",
                "/metrics", "/ui/"}) {
            refusedAsNotTheProxy(get(stack.https(null), uri, null), "proxy profile");
        }
    }

    /**
     * ACME (JWS-authenticated, and called directly by Traefik's ACME client, which has no client
     * certificate), the public API and the probes are served to any peer: each is reachable without a
     * certificate through the proxy already.
     */
    @Test
    void acmeThePublicApiAndTheProbesNeedNoProxyCertificate() throws Exception {
        for (String uri : new String[] {"/acme/directory", "/api/v1/public/health", "/health", "/ready"}) {
            HttpResponse<String> r = get(stack.https(null), uri, null);
            assertThat(r.body()).as(uri).doesNotContain(ProxyPeer.REASON);
            assertThat(r.statusCode()).as(uri + ": " + r.body()).isIn(200, 503);
        }
    }

    /** The exemption is by path: dot segments that would climb out of /acme or the public API open nothing. */
    @Test
    void dotSegmentsDoNotClimbOutOfTheExemptPaths() throws Exception {
        for (String uri : new String[] {"/acme/%2e%2e/api/v1/health", "/acme/..%2fapi/v1/health",
                "/api/v1/public/%2e%2e/health", "/api/v1/public/..;/health", "/acme/../api/v1/certificates"}) {
            HttpResponse<String> r = get(stack.https(null), uri, null);
            assertThat(r.statusCode()).as(uri + ": " + r.body()).isIn(400, 403, 404);
            assertThat(r.body()).as(uri).doesNotContain("\"role\"").doesNotContain("-----BEGIN");
        }
    }

    @Test
    void aRevokedProxyCertificateIsRefusedAfterTheCrlPush() throws Exception {
        RaStack.Client doomed = stack.issue("doomed-proxy", "proxy");
        String uri = "/api/client/certificate?case=revoked-proxy";
        HttpResponse<String> before = get(stack.https(doomed), uri, null);
        assertThat(before.body()).as("the proxy passes, then the missing assertion is refused")
                .doesNotContain(ProxyPeer.REASON).contains("no_certificate");
        stack.ca.client().revokeSerial(doomed.certificate().getSerialNumber(), "keyCompromise");
        stack.ca.client().generateCrl();
        HttpResponse<String> r = null;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < end; ) {
            r = get(stack.https(doomed), uri, null);
            if (r.body().contains(ProxyPeer.REASON)) {
                break;
            }
            Thread.sleep(200);
        }
        refusedAsNotTheProxy(r, "revoked");
        assertThat(get(stack.https(proxy), uri, null).body()).doesNotContain(ProxyPeer.REASON);
    }

    /** {@code --ops-listen}: probes and Prometheus over plain HTTP on their own port, and nothing else there. */
    @Test
    void theOpsListenerServesProbesAndMetricsOnly() throws Exception {
        int port = stack.ra.startOps(new java.net.InetSocketAddress("127.0.0.1", 0));
        HttpClient plain = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> health = plain.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> ready = plain.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isIn(200, 503);
        assertThat(ready.body()).contains("\"reason\"");
        HttpResponse<String> metrics = plain.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("upki_ra_ready");
        for (String uri : new String[] {"/api/v1/health", "/acme/directory", "/api/v1/public/health"}) {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(base + uri)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(uri).isEqualTo(404);
        }
    }
}
