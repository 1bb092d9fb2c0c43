package io.upki.e2e.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.ra.RaConfig;
import io.upki.ra.RaStack;
import io.upki.sidecar.Sidecar;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #16 M2 through the real path: a real CA, crl-publisher and ra-core in edge mode, two real
 * sidecars registered with the CA. Once one sidecar's signing certificate is revoked for keyCompromise
 * and a CRL generated, ra-core refuses its assertions (even one signed before) once the publisher pushes
 * it (within 5 s, far inside the 30 s poll; the time is printed), while the other sidecar's still pass.
 */
class RaEdgeSignerRevocationTest {
    @RegisterExtension
    static final RaStack stack = RaStack.forClass(RaConfig.Mode.EDGE);
    static Sidecar doomed;
    static Sidecar other;
    static String ra;
    static HttpClient http = HttpClient.newHttpClient();
    static RaStack.Client admin;

    @BeforeAll
    static void start() throws Exception {
        ra = "http://127.0.0.1:" + stack.ra.port();
        doomed = stack.closeAfter(EdgeSidecars.register(stack, "doomed-sidecar", Clock.systemUTC()));
        other = stack.closeAfter(EdgeSidecars.register(stack, "other-sidecar", Clock.systemUTC()));
        admin = stack.issue("admin.example.internal", "admin");
    }

    /** The sidecar's assertion for an administrator's GET of {@code uri}, as Traefik would get it. */
    static String assertion(Sidecar via, String uri) throws Exception {
        HttpResponse<String> auth = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + via.port() + "/auth/traefik"))
                .header("X-Forwarded-Tls-Client-Cert", Base64.getEncoder().encodeToString(admin.certificate().getEncoded()))
                .header("X-Forwarded-Method", "GET").header("X-Forwarded-Uri", uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(auth.statusCode()).as(auth.body()).isEqualTo(200);
        return auth.headers().firstValue("X-Upki-Assertion").orElseThrow();
    }

    static HttpResponse<String> get(String uri, String assertion) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ra + uri)).header("X-Upki-Assertion", assertion).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The signing certificate an assertion names by its serial ({@code kid}), as the CA holds it. */
    static X509Certificate signer(String assertion) throws Exception {
        byte[] header = Base64.getUrlDecoder().decode(assertion.split("\\.")[0]);
        String kid = new ObjectMapper().readTree(new String(header, StandardCharsets.UTF_8)).get("kid").asText();
        return Pem.parseCertificate(stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", "0x" + kid))
                .get("certificate").asText());
    }

    @Test
    void aRevokedSidecarSignerIsRefusedOnceTheNewCrlIsPushed() throws Exception {
        String before = assertion(doomed, "/api/v1/health");
        assertThat(get("/api/v1/health", before).statusCode()).isEqualTo(200);
        X509Certificate signer = signer(before);
        assertThat(signer.getSubjectX500Principal().getName()).contains("CN=doomed-sidecar");
        BigInteger serial = signer.getSerialNumber();

        stack.ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", "keyCompromise"));
        stack.ca.call(CaTask.GENERATE_CRL, CaClient.params());
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/api/v1/health", before);
        while (r.statusCode() == 200 && System.nanoTime() - t0 < 5_000_000_000L) {
            Thread.sleep(20);
            r = get("/api/v1/health", before);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("ra-core: revoked sidecar signer refused " + ms + " ms after generate_crl");
        RaEdgeModeTest.refused(r, "invalid_assertion");

        // A fresh assertion from the revoked sidecar (it still answers 200 itself) is refused too.
        RaEdgeModeTest.refused(get("/api/v1/admins", assertion(doomed, "/api/v1/admins")), "invalid_assertion");
        // The other sidecar, and so the same administrator through it, is unaffected.
        HttpResponse<String> ok = get("/api/v1/admins", assertion(other, "/api/v1/admins"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }
}
