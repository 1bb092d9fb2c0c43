package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.assertion.AssertionSigner;
import io.upki.pki.assertion.AssertionVerifier;
import io.upki.pki.assertion.CaSignerCertificates;
import io.upki.pki.assertion.Identity;
import io.upki.pki.assertion.SignerCertificates;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Role;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.testkit.Await;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar against a real upki CA over ZeroMQ: it registers its signing key with the seed, reads
 * the admin list from {@code list_admins}, honours the admin profile's role, and its assertions verify
 * with the ra-core's verifier while forged or replayed ones do not.
 */
class UpkiCaIntegrationTest {
    @TempDir
    static Path dir;
    static TestCa ca;
    static SidecarHarness sidecar;
    static Path crlFile;
    static Path caCrt;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.start(dir.resolve("ca"));
        caCrt = Files.writeString(dir.resolve("ca.crt"), ca.call(CaTask.GET_CA, CaClient.params()).asText());
        crlFile = dir.resolve("crl.der");
        Files.write(crlFile, ca.client().generateCrl());
        SidecarConfig config = SidecarHarness.registering(caCrt, crlFile, ca.registrationEndpoint(), ca.opsEndpoint(),
                "sidecar-it", dir.resolve("state"));
        sidecar = SidecarHarness.start(config, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        ca.close();
    }

    static String issue(String cn, String profile) throws Exception {
        String pem = ca.client().sign(TestKeys.csr("CN=" + cn), profile).get("certificate").asText();
        return Base64.getEncoder().encodeToString(Pem.parseCertificate(pem).getEncoded().clone());
    }

    static HttpResponse<String> auth(String cert, String method, String uri) throws Exception {
        return sidecar.get("/auth/traefik", Map.of("X-Forwarded-Tls-Client-Cert", cert, "X-Forwarded-Method", method,
                "X-Forwarded-Uri", uri));
    }

    @Test
    void signingKeyWasRegisteredUnderTheSidecarProfileAndKeptPrivately() throws Exception {
        Path key = dir.resolve("state/sidecar.key");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        var status = ca.call(CaTask.GET_NODE, CaClient.params().put("cn", "sidecar-it"));
        assertThat(status.get("profile").asText()).isEqualTo("sidecar");
    }

    @Test
    void adminProfileCertificateIsAnAdminWithoutBeingListed() throws Exception {
        HttpResponse<String> r = auth(issue("admin.example.internal", "admin"), "GET", "/api/v1/health");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue(SidecarApp.ROLE)).hasValue("admin");
    }

    @Test
    void listedDnIsAnAdminAndTheListFollowsTheCa() throws Exception {
        String cert = issue("ops.example.internal", "user");
        assertThat(auth(cert, "GET", "/api/v1/health").statusCode()).isEqualTo(403);
        ca.call(CaTask.ADD_ADMIN, CaClient.params().put("dn", "/CN=ops.example.internal"));
        waitFor(() -> auth(cert, "GET", "/api/v1/health").statusCode() == 200);
        ca.call(CaTask.REMOVE_ADMIN, CaClient.params().put("dn", "/CN=ops.example.internal"));
        waitFor(() -> auth(cert, "GET", "/api/v1/health").statusCode() == 403);
    }

    @Test
    void revocationThroughTheCaTakesEffectWithoutRestart() throws Exception {
        String cert = issue("leaving.example.internal", "admin");
        assertThat(auth(cert, "GET", "/api/v1/health").statusCode()).isEqualTo(200);
        ca.call(CaTask.REVOKE, CaClient.params().put("dn", "/CN=leaving.example.internal").put("reason", "cessationOfOperation"));
        Files.write(crlFile, ca.client().generateCrl());
        sidecar.sidecar().refreshCrls();
        HttpResponse<String> r = auth(cert, "GET", "/api/v1/health");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"reason\":\"revoked\"");
    }

    @Test
    void assertionVerifiesForItsRequestOnly() throws Exception {
        HttpResponse<String> r = auth(issue("client-1.example.internal", "user"), "POST", "/api/client/renew?x=1");
        assertThat(r.statusCode()).isEqualTo(200);
        String token = r.headers().firstValue(SidecarApp.ASSERTION).orElseThrow();
        X509Certificate root = Pem.parseCertificate(Files.readString(caCrt));
        AssertionVerifier verifier = new AssertionVerifier(new ChainVerifier(List.of(root), List.of(), Clock.systemUTC()),
                new CaSignerCertificates(ca.client(), Clock.systemUTC()), Clock.systemUTC(), Duration.ofSeconds(2));
        Identity id = verifier.verify(token, "POST", "/api/client/renew?x=1");
        assertThat(id.role().wireName()).isEqualTo("client");
        assertThat(id.subject()).isEqualTo("CN=client-1.example.internal");
        assertThat(id.serialHex()).isEqualTo(r.headers().firstValue(SidecarApp.SERIAL).orElseThrow());
        // Replayed on another URI or method: refused.
        assertThatThrownBy(() -> verifier.verify(token, "POST", "/api/client/revoke")).hasMessageContaining("made for");
        assertThatThrownBy(() -> verifier.verify(token, "GET", "/api/client/renew?x=1")).hasMessageContaining("made for");
        // Expired: the same token seen 31 s later.
        AssertionVerifier later = new AssertionVerifier(new ChainVerifier(List.of(root), List.of(),
                Clock.fixed(Instant.now().plusSeconds(40), ZoneOffset.UTC)), new CaSignerCertificates(ca.client(), Clock.systemUTC()),
                Clock.fixed(Instant.now().plusSeconds(40), ZoneOffset.UTC), Duration.ofSeconds(2));
        assertThatThrownBy(() -> later.verify(token, "POST", "/api/client/renew?x=1")).hasMessageContaining("expired");
        // Tampered payload: the signature no longer verifies.
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"client\"", "\"admin\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        assertThatThrownBy(() -> verifier.verify(tampered, "POST", "/api/client/renew?x=1")).hasMessageContaining("signature");
        // Garbage.
        assertThatThrownBy(() -> verifier.verify("a.b.c", "POST", "/x")).isInstanceOf(AssertionVerifier.InvalidAssertionException.class);
    }

    @Test
    void anAssertionSignedWithAClientCertificateIsRefused() throws Exception {
        // A client holds a valid certificate from the same CA and signs its own assertion claiming admin.
        KeyPair keys = TestKeys.ec256();
        String pem = ca.client().sign(TestKeys.csr(keys, "CN=mallory.example.internal", List.of()), "admin")
                .get("certificate").asText();
        X509Certificate cert = Pem.parseCertificate(pem);
        AssertionSigner forger = new AssertionSigner(keys.getPrivate(), List.of(cert), Clock.systemUTC(), Duration.ofSeconds(30));
        String forged = forger.sign(new Identity("CN=mallory.example.internal", "1", "f", Role.ADMIN, "1"), "GET", "/api/v1/admins");
        X509Certificate root = Pem.parseCertificate(Files.readString(caCrt));
        AssertionVerifier verifier = new AssertionVerifier(new ChainVerifier(List.of(root), List.of(), Clock.systemUTC()),
                new CaSignerCertificates(ca.client(), Clock.systemUTC()), Clock.systemUTC(), Duration.ofSeconds(2));
        // The CA knows the certificate, but it is no assertion signer: refused at the lookup already.
        assertThatThrownBy(() -> verifier.verify(forged, "GET", "/api/v1/admins")).hasMessageContaining("not an assertion signer");
        // And by the chain check's role rule, with a lookup that hands any certificate over.
        AssertionVerifier lenient = new AssertionVerifier(new ChainVerifier(List.of(root), List.of(), Clock.systemUTC()),
                SignerCertificates.of(List.of(cert)), Clock.systemUTC(), Duration.ofSeconds(2));
        assertThatThrownBy(() -> lenient.verify(forged, "GET", "/api/v1/admins")).hasMessageContaining("signer refused");
    }

    static void waitFor(Await.Condition condition) throws Exception {
        Await.until(Duration.ofSeconds(5), condition);
    }
}
