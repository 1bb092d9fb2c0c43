package io.upki.sidecar.proxy;

import io.upki.pki.x509.SubjectFormat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.pki.assertion.AssertionVerifier;
import io.upki.pki.assertion.CaSignerCertificates;
import io.upki.pki.assertion.Identity;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Refusal;
import io.upki.pki.x509.Pem;
import io.upki.sidecar.SidecarApp;
import io.upki.sidecar.proxy.ProxyPki.Client;
import io.upki.sidecar.proxy.Curl.Response;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TlsClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forward-auth scenarios every real proxy must pass: a real upki PKI, the sidecar on loopback, a
 * recording upstream, and the proxy terminating TLS; requests are real TLS handshakes made by curl.
 * Subclasses start the proxy and say how it renders a refusal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ProxyScenarios {
    /** What the sidecar may answer (403 for every refusal); nginx turns anything but 2xx, 401 and 403 into 500. */
    private static final Set<Integer> SIDECAR_STATUSES = Set.of(200, 403);

    Path dir;
    ProxyPki pki;
    SidecarHarness sidecar;
    RecordingUpstream upstream;
    ProxyProcess proxy;
    int port;
    private AssertionVerifier assertions;

    /** The sidecar's proxy profile: {@code nginx} or {@code caddy}. */
    abstract String profile();

    /** Writes the proxy's configuration for these addresses into {@code work} and starts it on {@code port}. */
    abstract ProxyProcess startProxy(Path work, int port, String sidecarAddress, String upstreamAddress, ProxyPki pki)
            throws IOException;

    /** The template the proxy runs ({@link ProxyConfigs}). */
    abstract String testedTemplate();

    /** The file under {@code deploy/} that documents it. */
    abstract String documentedExample();

    /** The proxy's own log (for failure messages and the final error check). */
    abstract String proxyLog();

    @BeforeAll
    void startAll(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        pki = ProxyPki.mint(Files.createDirectories(dir.resolve("pki")));
        sidecar = pki.startSidecar(profile());
        // The RA stand-in, like ra-core's edge listener, speaks HTTPS and requires a client certificate.
        upstream = new RecordingUpstream(TlsClients.context(pki.raServer.cert(), pki.raServer.key(), pki.caCrt));
        Path work = Files.createDirectories(dir.resolve(profile()));
        proxy = ProxyProcess.startOnFreePort(p -> startProxy(work, p, "127.0.0.1:" + sidecar.sidecar().port(),
                upstream.address(), pki));
        port = proxy.port();
        assertions = new AssertionVerifier(new ChainVerifier(Pem.parseCertificates(Files.readString(pki.caCrt)),
                List.of(), Clock.systemUTC()), new CaSignerCertificates(pki.ca.client(), Clock.systemUTC()), Clock.systemUTC(),
                Duration.ofSeconds(5));
    }

    @AfterAll
    void stopAll() {
        // Runs even when startAll failed half-way: close whatever was started, the proxy first.
        for (AutoCloseable c : new AutoCloseable[] {proxy, upstream, sidecar, pki}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // keep closing the rest
                }
            }
        }
        if (proxy != null) {
            assertThat(proxy.alive()).as("proxy process still running after close").isFalse();
        }
    }

    /** One request through the proxy; every status must be one the sidecar can produce (never 500/502). */
    Response request(String path, Client client, Map<String, String> headers) throws IOException {
        Response r;
        try {
            r = Curl.get(pki, port, path, client, headers);
        } catch (IOException e) {
            String log = proxyLog();
            throw new IOException(e.getMessage() + "\n--- end of the proxy's log:\n"
                    + log.substring(Math.max(0, log.length() - 4000)), e);
        }
        assertThat(r.status()).as("status of %s: %s", path, r.body()).isIn(SIDECAR_STATUSES);
        return r;
    }

    Response request(String path, Client client) throws IOException {
        return request(path, client, Map.of());
    }

    /** How many refusals for {@code reason} the sidecar counted so far (its metrics). */
    long denials(String reason) throws Exception {
        var metrics = sidecar.get("/metrics", Map.of());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return (long) io.upki.testkit.ops.Scrape.of(metrics.body())
                .value("upki_sidecar_decisions_total", "result", "deny", "reason", reason);
    }

    /** A request the sidecar must refuse with 403 for {@code reason}, which never reaches the upstream. */
    Response forbidden(String uri, Client client, Map<String, String> headers, String reason) throws Exception {
        long before = denials(reason);
        Response r = request(uri, client, headers);
        assertThat(r.status()).as("status of %s: %s", uri, r.body()).isEqualTo(403);
        assertThat(denials(reason)).as("sidecar refusals for %s", reason).isEqualTo(before + 1);
        assertRefusalBody(r, reason);
        assertThat(upstream.seen(uri)).as("upstream reached by a refused request").isEmpty();
        return r;
    }

    /**
     * The client sees the sidecar's JSON refusal with its reason, whatever the proxy: Caddy relays the
     * sidecar's body, nginx rebuilds it from the X-Upki-Refusal headers (its own page would name none).
     */
    static void assertRefusalBody(Response r, String reason) {
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not the sidecar's JSON refusal: " + r.body(), e);
        }
        assertThat(body.path("status").asText()).as(r.body()).isEqualTo("error");
        assertThat(body.path("reason").asText()).as(r.body()).isEqualTo(reason);
        assertThat(body.path("message").asText()).as(r.body())
                .isEqualTo(Refusal.valueOf(reason.toUpperCase(Locale.ROOT)).message());
    }

    /** The single request the upstream received for {@code uri}. */
    RecordingUpstream.Seen seenOnce(String uri) {
        List<RecordingUpstream.Seen> seen = upstream.seen(uri);
        assertThat(seen).as("upstream requests for %s", uri).hasSize(1);
        return seen.get(0);
    }

    /** Checks the identity headers the upstream got: exactly the sidecar's values for {@code client}. */
    void assertIdentity(RecordingUpstream.Seen seen, Client client, String role) throws Exception {
        String subject = SubjectFormat.headerSafe(SubjectFormat.rfc4514(client.certificate().getSubjectX500Principal()));
        for (String h : SidecarApp.IDENTITY_HEADERS) {
            assertThat(seen.all(h)).as("copies of %s upstream", h).hasSize(1);
        }
        assertThat(seen.header(SidecarApp.SUBJECT)).isEqualTo(subject);
        assertThat(seen.header(SidecarApp.SERIAL)).isEqualTo(client.serialHex());
        assertThat(seen.header(SidecarApp.FINGERPRINT)).isEqualTo(client.fingerprint());
        assertThat(seen.header(SidecarApp.ROLE)).isEqualTo(role);
        String token = seen.header(SidecarApp.ASSERTION);
        assertThat(token).isNotBlank();
        Identity id = assertions.verify(token, "GET", seen.uri());
        assertThat(id.subject()).isEqualTo(SubjectFormat.rfc4514(client.certificate().getSubjectX500Principal()));
        assertThat(id.serialHex()).isEqualTo(client.serialHex());
        assertThat(id.fingerprint()).isEqualTo(client.fingerprint());
        assertThat(id.role().wireName()).isEqualTo(role);
        assertNoCertificateHeaders(seen);
        assertThat(seen.peer()).as("the proxy's client certificate towards the RA").isEqualTo("CN=e2e-proxy");
    }

    static void assertNoCertificateHeaders(RecordingUpstream.Seen seen) {
        for (String h : List.of("X-SSL-Client-Cert", "X-Client-Cert", "X-Forwarded-Tls-Client-Cert")) {
            assertThat(seen.all(h)).as("%s reaching the upstream", h).isEmpty();
        }
    }

    /** Every header a client might forge, carrying the administrator's identity and certificate. */
    Map<String, String> forgedHeaders(String uri) {
        Client admin = pki.admin;
        Map<String, String> h = new LinkedHashMap<>();
        h.put(SidecarApp.ROLE, "admin");
        h.put(SidecarApp.SUBJECT, "CN=evil");
        h.put(SidecarApp.SERIAL, admin.serialHex());
        h.put(SidecarApp.FINGERPRINT, admin.fingerprint());
        h.put(SidecarApp.ASSERTION, "eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.");
        h.put("X-Forwarded-Tls-Client-Cert", admin.derBase64());
        h.put("X-SSL-Client-Cert", admin.escapedPem());
        h.put("X-Client-Cert", admin.derBase64());
        // Also try to make the sidecar judge another URI than the one requested.
        h.put("X-Original-URI", uri);
        h.put("X-Forwarded-Uri", uri);
        return h;
    }

    @Test
    void administratorByRolePolicyReachesTheUpstreamWithTheSidecarsIdentity() throws Exception {
        String uri = "/api/v1/health?case=admin";
        Response r = request(uri, pki.admin);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"upstream\":\"ok\"");
        assertIdentity(seenOnce(uri), pki.admin, "admin");
    }

    @Test
    void administratorByListReachesTheUpstream() throws Exception {
        String uri = "/api/v1/health?case=listed-admin";
        Response r = request(uri, pki.listedAdmin);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertIdentity(seenOnce(uri), pki.listedAdmin, "admin");
    }

    @Test
    void forgedHeadersNeverReachTheSidecarsDecisionNorTheUpstream() throws Exception {
        String adminUri = "/api/v1/admins?case=forged";
        forbidden(adminUri, pki.user, forgedHeaders("/api/client/certificate"), "not_admin");

        String clientUri = "/api/client/certificate?case=forged";
        Response allowed = request(clientUri, pki.user, forgedHeaders("/api/client/certificate"));
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        RecordingUpstream.Seen seen = seenOnce(clientUri);
        assertIdentity(seen, pki.user, "client");
        assertThat(seen.headers().toString()).doesNotContain("CN=evil").doesNotContain(pki.admin.derBase64())
                .doesNotContain(pki.admin.fingerprint());
    }

    @Test
    void noClientCertificateIsForbiddenWithItsReason() throws Exception {
        Response r = forbidden("/api/client/x?case=nocert", null, Map.of(), "no_certificate");
        assertThat(r.body()).contains("no client certificate");
        forbidden("/api/v1/health?case=nocert", null, Map.of(), "no_certificate");
        // Forged certificate headers do not stand in for a TLS client certificate.
        forbidden("/api/client/x?case=nocert-forged", null, forgedHeaders("/api/client/x"), "no_certificate");
    }

    @Test
    void certificateOfAnotherCaIsForbidden() throws Exception {
        // Same subject as our user, but from an unrelated CA.
        for (String uri : List.of("/api/client/x?case=foreign", "/api/v1/health?case=foreign")) {
            forbidden(uri, pki.foreign, Map.of(), "unknown_ca");
        }
    }

    @Test
    void adminRoleCertificateOfAnotherCaIsForbidden() throws Exception {
        // Same subject as our administrator and upki's admin role policy, but from an unrelated CA.
        for (String uri : List.of("/api/client/x?case=foreign-admin", "/api/v1/health?case=foreign-admin")) {
            forbidden(uri, pki.foreignAdmin, Map.of(), "unknown_ca");
        }
    }

    @Test
    void revocationTakesEffectWithoutRestartingAnything() throws Exception {
        Response before = request("/api/client/x?case=revoke-before", pki.revocable);
        assertThat(before.status()).as(before.body()).isEqualTo(200);
        assertIdentity(seenOnce("/api/client/x?case=revoke-before"), pki.revocable, "client");

        pki.revoke(pki.revocable);

        long start = System.nanoTime();
        Response after = null;
        for (int i = 0; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5); i++) {
            after = request("/api/client/x?case=revoke-after-" + i, pki.revocable);
            if (after.status() != 200) {
                break;
            }
            ProxyProcess.sleep(200);
        }
        assertThat(after).isNotNull();
        assertThat(after.status()).as("still %s after 5 s: %s", after.status(), after.body()).isEqualTo(403);
        forbidden("/api/client/x?case=revoked", pki.revocable, Map.of(), "revoked");
        assertThat(proxy.alive()).isTrue();
        // The new CRL does not disturb anyone else.
        assertThat(request("/api/client/x?case=after-revoke-user", pki.user).status()).isEqualTo(200);
    }

    @Test
    void publicPathNeedsNoCertificateAndCarriesNoIdentity() throws Exception {
        String uri = "/api/v1/public/health?case=public";
        Response r = request(uri, null, forgedHeaders("/api/v1/public/health"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        RecordingUpstream.Seen seen = seenOnce(uri);
        assertThat(seen.all(SidecarApp.ROLE)).containsExactly("anonymous");
        for (String h : List.of(SidecarApp.SUBJECT, SidecarApp.SERIAL, SidecarApp.FINGERPRINT, SidecarApp.ASSERTION)) {
            assertThat(seen.all(h)).as(h).allMatch(String::isEmpty);
        }
        assertNoCertificateHeaders(seen);
    }

    @Test
    void routesOutsideThePolicyAreForbidden() throws Exception {
        forbidden("/internal/anything?case=deny", pki.user, Map.of(), "not_allowed");
    }

    @Test
    void theDocumentedExampleIsTheTestedConfiguration() throws IOException {
        Path doc = ProxyConfigs.repositoryRoot().resolve("deploy").resolve(documentedExample());
        assertThat(doc).exists();
        assertThat(Files.readString(doc, StandardCharsets.UTF_8)).contains(testedTemplate());
    }

    /** Reads a file as text, empty when missing. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
