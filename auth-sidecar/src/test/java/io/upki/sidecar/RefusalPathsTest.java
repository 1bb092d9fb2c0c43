package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TestPki;
import io.upki.testkit.Await;
import io.upki.testkit.ops.Scrape;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each refusal path on its own, through the real HTTP server, with the reason in the JSON body. */
class RefusalPathsTest {
    @TempDir
    Path dir;
    TestPki pki;
    Path crlFile;
    Path adminsFile;
    SidecarHarness sidecar;
    X509Certificate alice;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki("Refusal");
        alice = pki.client("alice");
        crlFile = dir.resolve("crls.pem");
        adminsFile = dir.resolve("admins.txt");
        sidecar = SidecarHarness.startOn(pki, dir);
    }

    @AfterEach
    void stop() {
        sidecar.close();
    }

    HttpResponse<String> auth(String certHeader, String uri) throws Exception {
        return certHeader == null
                ? sidecar.get("/auth", Map.of("X-Forwarded-Uri", uri, "X-Forwarded-Method", "GET"))
                : sidecar.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", certHeader, "X-Forwarded-Uri", uri,
                        "X-Forwarded-Method", "GET"));
    }

    static void refused(HttpResponse<String> r, int status, String reason) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        var body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("reason").asText()).isEqualTo(reason);
        assertThat(body.get("message").asText()).isNotBlank();
        // The same reason as headers, for nginx to rebuild the body auth_request drops.
        assertThat(r.headers().firstValue(SidecarApp.REFUSAL)).hasValue(reason);
        assertThat(r.headers().firstValue(SidecarApp.REFUSAL_MESSAGE)).hasValue(body.get("message").asText());
        assertThat(r.headers().firstValue(SidecarApp.ASSERTION)).isEmpty();
        assertThat(r.headers().firstValue(SidecarApp.ROLE)).isEmpty();
    }

    void writeCrls(String pem) throws Exception {
        Path tmp = dir.resolve("crls.tmp");
        Files.writeString(tmp, pem);
        Files.move(tmp, crlFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sidecar.sidecar().refreshCrls();
    }

    static void eventually(Await.Condition condition) throws Exception {
        Await.until(Duration.ofSeconds(5), condition);
    }

    @Test
    void validClientIsAllowedOnClientRoutes() throws Exception {
        HttpResponse<String> r = auth(TestPki.base64(alice), "/api/client/me");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(SidecarApp.ROLE)).hasValue("client");
        assertThat(r.headers().firstValue(SidecarApp.SUBJECT)).hasValue("CN=alice");
    }

    @Test
    void noCertificateIs403WithItsReason() throws Exception {
        // 403, as the user guide promises: 401 would need an HTTP authentication scheme (RFC 9110 section 15.5.2).
        HttpResponse<String> r = auth(null, "/api/client/me");
        refused(r, 403, "no_certificate");
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(new ObjectMapper().readTree(r.body()).get("message").asText()).isEqualTo("no client certificate");
        refused(auth("", "/api/client/me"), 403, "no_certificate");
        refused(auth(null, "/api/v1/health"), 403, "no_certificate");
    }

    @Test
    void garbageBase64() throws Exception {
        refused(auth("not base64!", "/api/client/me"), 403, "malformed_header");
    }

    @Test
    void validBase64OfGarbageDer() throws Exception {
        refused(auth(Base64.getEncoder().encodeToString("definitely not DER".getBytes(StandardCharsets.UTF_8)),
                "/api/client/me"), 403, "bad_certificate");
        byte[] der = alice.getEncoded();
        byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
        refused(auth(Base64.getEncoder().encodeToString(trailing), "/api/client/me"), 403, "bad_certificate");
    }

    @Test
    void unknownCa() throws Exception {
        TestPki other = new TestPki("Other");
        refused(auth(TestPki.base64(other.client("mallory")), "/api/client/me"), 403, "unknown_ca");
        // Even with the foreign intermediate sent along as a hint.
        X509Certificate foreign = other.client("mallory2");
        refused(auth(TestPki.base64(foreign) + "," + TestPki.base64(other.intermediate.cert()), "/api/client/me"),
                403, "unknown_ca");
    }

    @Test
    void rogueCaWithTheRootsName() throws Exception {
        // Same DNs as our root and intermediate, different keys.
        TestPki rogue = new TestPki("Refusal");
        X509Certificate leaf = rogue.client("alice");
        refused(auth(TestPki.base64(leaf), "/api/client/me"), 403, "unknown_ca");
        refused(auth(TestPki.base64(leaf) + "," + TestPki.base64(rogue.intermediate.cert()), "/api/client/me"), 403, "unknown_ca");
    }

    @Test
    void expiredAndNotYetValid() throws Exception {
        X509Certificate expired = pki.leaf(pki.intermediate, "old", TestPki.NOW.minusSeconds(86400 * 10),
                TestPki.NOW.minusSeconds(60), KeyPurposeId.id_kp_clientAuth, false);
        refused(auth(TestPki.base64(expired), "/api/client/me"), 403, "expired");
        X509Certificate future = pki.leaf(pki.intermediate, "future", TestPki.NOW.plusSeconds(3600),
                TestPki.NOW.plusSeconds(86400), KeyPurposeId.id_kp_clientAuth, false);
        refused(auth(TestPki.base64(future), "/api/client/me"), 403, "not_yet_valid");
    }

    @Test
    void serverAuthOnlyEkuAndNoEku() throws Exception {
        X509Certificate server = pki.leaf(pki.intermediate, "server", TestPki.NOW.minusSeconds(60),
                TestPki.NOW.plusSeconds(86400), KeyPurposeId.id_kp_serverAuth, false);
        refused(auth(TestPki.base64(server), "/api/client/me"), 403, "wrong_usage");
        X509Certificate none = pki.leaf(pki.intermediate, "no-eku", TestPki.NOW.minusSeconds(60),
                TestPki.NOW.plusSeconds(86400), null, false);
        refused(auth(TestPki.base64(none), "/api/client/me"), 403, "wrong_usage");
    }

    @Test
    void caCertificateAsLeaf() throws Exception {
        refused(auth(TestPki.base64(pki.intermediate.cert()), "/api/client/me"), 403, "ca_certificate");
        X509Certificate caWithClientAuth = pki.leaf(pki.intermediate, "sub-ca", TestPki.NOW.minusSeconds(60),
                TestPki.NOW.plusSeconds(86400), KeyPurposeId.id_kp_clientAuth, true);
        refused(auth(TestPki.base64(caWithClientAuth), "/api/client/me"), 403, "ca_certificate");
    }

    @Test
    void revokedLeafIsRefusedOnTheNextRequestAfterTheCrlLoads() throws Exception {
        String header = TestPki.base64(alice);
        assertThat(auth(header, "/api/client/me").statusCode()).isEqualTo(200);
        writeCrls(pki.crls(11, List.of(alice), List.of()));
        refused(auth(header, "/api/client/me"), 403, "revoked");
    }

    @Test
    void revokedIntermediate() throws Exception {
        writeCrls(pki.crls(11, List.of(), List.of(pki.intermediate.cert())));
        refused(auth(TestPki.base64(alice), "/api/client/me"), 403, "revoked");
    }

    @Test
    void crlMissingMeansDenyAndNotReady() throws Exception {
        Path empty = dir.resolve("none");
        Files.createDirectories(empty);
        try (SidecarHarness bare = SidecarHarness.start(SidecarHarness.config(dir.resolve("root.crt"),
                dir.resolve("intermediate.crt"), List.of(empty.resolve("absent.pem").toString()), adminsFile,
                SidecarHarness.throwawaySigning(empty), "traefik"), Clock.fixed(TestPki.NOW, ZoneOffset.UTC))) {
            HttpResponse<String> r = bare.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", TestPki.base64(alice),
                    "X-Forwarded-Uri", "/api/client/me"));
            refused(r, 403, "no_crl");
            assertThat(bare.get("/ready", Map.of()).statusCode()).isEqualTo(503);
        }
        assertThat(sidecar.get("/ready", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void crlExpiredMeansDeny() throws Exception {
        // A sidecar whose clock is past the CRLs' nextUpdate: it refuses and is not ready.
        try (SidecarHarness late = SidecarHarness.start(SidecarHarness.config(dir.resolve("root.crt"),
                dir.resolve("intermediate.crt"), List.of(crlFile.toString()), adminsFile,
                SidecarHarness.throwawaySigning(Files.createDirectories(dir.resolve("late"))), "traefik"),
                Clock.fixed(TestPki.NOW.plusSeconds(2 * 86400), ZoneOffset.UTC))) {
            HttpResponse<String> r = late.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", TestPki.base64(alice),
                    "X-Forwarded-Uri", "/api/client/me"));
            // alice is still valid then, so the only reason left is the expired CRL.
            refused(r, 403, "no_crl");
            assertThat(late.get("/ready", Map.of()).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void crlWithBadSignatureIsRejectedAndTheLastGoodOneStays() throws Exception {
        var forger = TestPki.ec();
        String forged = TestPki.pemCrl(TestPki.crl(pki.intermediate, forger.getPrivate(), 99, TestPki.NOW.minusSeconds(60),
                TestPki.NOW.plusSeconds(86400), List.of(alice)))
                + TestPki.pemCrl(TestPki.crl(pki.root, forger.getPrivate(), 99, TestPki.NOW.minusSeconds(60),
                TestPki.NOW.plusSeconds(86400), List.of()));
        long rejectedBefore = rejected();
        writeCrls(forged);
        eventually(() -> rejected() > rejectedBefore);
        assertThat(auth(TestPki.base64(alice), "/api/client/me").statusCode()).isEqualTo(200);
    }

    @Test
    void crlWithLowerNumberIsRejected() throws Exception {
        long rejectedBefore = rejected();
        writeCrls(pki.crls(9, List.of(alice), List.of()));
        eventually(() -> rejected() > rejectedBefore);
        assertThat(auth(TestPki.base64(alice), "/api/client/me").statusCode()).isEqualTo(200);
        assertThat(Scrape.of(sidecar.get("/metrics", Map.of()).body()).find("upki_sidecar_crl_number"))
                .extracting(Scrape.Sample::value).containsOnly(10.0);
    }

    @Test
    void nonAdminOnAdminRoute() throws Exception {
        refused(auth(TestPki.base64(alice), "/api/v1/health"), 403, "not_admin");
        // An admin by DN from the admins file is allowed, with role admin.
        X509Certificate rootAdmin = pki.client("root-admin");
        HttpResponse<String> ok = auth(TestPki.base64(rootAdmin), "/api/v1/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue(SidecarApp.ROLE)).hasValue("admin");
        // Removing the DN from the file takes effect without a restart.
        Files.writeString(adminsFile, "# nobody\n");
        Files.setLastModifiedTime(adminsFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        eventually(() -> {
            try {
                return auth(TestPki.base64(rootAdmin), "/api/v1/health").statusCode() == 403;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void oversizedHeaderAndTooManyCertificates() throws Exception {
        String big = "A".repeat(70 * 1024);
        refused(auth(big, "/api/client/me"), 403, "header_too_large");
        String many = String.join(",", java.util.Collections.nCopies(9, TestPki.base64(alice)));
        refused(auth(many, "/api/client/me"), 403, "too_many_certificates");
    }

    @Test
    void unsafeOrMissingUriAndUnlistedRoutes() throws Exception {
        refused(sidecar.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", TestPki.base64(alice))), 403, "bad_request");
        refused(auth(TestPki.base64(alice), "/api/client/../v1/admins"), 403, "bad_request");
        refused(auth(TestPki.base64(alice), "/api/client/%2e%2e/v1/admins"), 403, "bad_request");
        refused(auth(TestPki.base64(alice), "/somewhere/else"), 403, "not_allowed");
        HttpResponse<String> pub = auth(null, "/api/v1/public/ca");
        assertThat(pub.statusCode()).isEqualTo(200);
        assertThat(pub.headers().firstValue(SidecarApp.ROLE)).hasValue("anonymous");
    }

    @Test
    void spoofedHeadersOfOtherProxiesNeverChangeADecision() throws Exception {
        String admin = TestPki.base64(pki.client("root-admin"));
        String aliceHeader = TestPki.base64(alice);
        // Traefik profile: nginx/Caddy headers and identity headers are ignored.
        HttpResponse<String> r = sidecar.get("/auth/traefik", Map.of("X-Forwarded-Tls-Client-Cert", aliceHeader,
                "X-SSL-Client-Cert", admin, "X-Client-Cert", admin, "X-Upki-Client-Role", "admin",
                "X-Upki-Client-Subject", "CN=root-admin", "X-Forwarded-Uri", "/api/v1/health"));
        refused(r, 403, "not_admin");
        // nginx profile: a Traefik header with the admin certificate is ignored; no nginx header means no certificate.
        refused(sidecar.get("/auth/nginx", Map.of("X-Forwarded-Tls-Client-Cert", admin, "X-Client-Cert", admin,
                "X-Original-URI", "/api/v1/health")), 403, "no_certificate");
        // Caddy profile likewise.
        refused(sidecar.get("/auth/caddy", Map.of("X-Forwarded-Tls-Client-Cert", admin, "X-SSL-Client-Cert", admin,
                "X-Forwarded-Uri", "/api/v1/health")), 403, "no_certificate");
        // The same header twice is ambiguous and refused.
        var twice = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sidecar.base() + "/auth"))
                .header("X-Forwarded-Tls-Client-Cert", aliceHeader).header("X-Forwarded-Tls-Client-Cert", admin)
                .header("X-Forwarded-Uri", "/api/client/me").build();
        refused(java.net.http.HttpClient.newHttpClient().send(twice, HttpResponse.BodyHandlers.ofString()), 403,
                "malformed_header");
    }

    @Test
    void aMethodOverrideHeaderNeverChangesTheMethod() throws Exception {
        // GET named POST by the header: still a GET, and /crl/refresh has no GET route (Javalin used to run the hook).
        assertThat(sidecar.send("GET", "/crl/refresh", Map.of("X-HTTP-Method-Override", "POST")).statusCode())
                .isEqualTo(404);
        assertThat(sidecar.send("POST", "/health", Map.of("X-HTTP-Method-Override", "GET")).statusCode())
                .isEqualTo(404);
        // Without X-Forwarded-Method the request's own method is decided and signed: POST, never the header's DELETE.
        HttpResponse<String> r = sidecar.send("POST", "/auth", Map.of("X-Forwarded-Tls-Client-Cert",
                TestPki.base64(alice), "X-Forwarded-Uri", "/api/client/me", "X-HTTP-Method-Override", "DELETE"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String claims = new String(Base64.getUrlDecoder().decode(
                r.headers().firstValue(SidecarApp.ASSERTION).orElseThrow().split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"htm\":\"POST\"").doesNotContain("DELETE");
    }

    @Test
    void anyMethodIsAcceptedAndMetricsCountDecisions() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = sidecar.send(method, "/auth", Map.of("X-Forwarded-Tls-Client-Cert",
                    TestPki.base64(alice), "X-Forwarded-Uri", "/api/client/me", "X-Forwarded-Method", method));
            assertThat(r.statusCode()).as(method).isEqualTo(200);
        }
        Scrape metrics = Scrape.of(sidecar.get("/metrics", Map.of()).body());
        assertThat(metrics.value("upki_sidecar_decisions_total", "result", "allow", "reason", "ok")).isEqualTo(4.0);
        assertThat(metrics.names()).contains("upki_sidecar_cache_hit_ratio", "upki_sidecar_crl_age_seconds");
    }

    long rejected() {
        try {
            return (long) Scrape.of(sidecar.get("/metrics", Map.of()).body()).value("upki_sidecar_crl_rejected_total");
        } catch (Exception e) {
            return -1;
        }
    }
}
