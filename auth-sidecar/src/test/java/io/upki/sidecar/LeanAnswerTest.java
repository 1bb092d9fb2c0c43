package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.pki.assertion.SignerCertificates;
import io.upki.pki.x509.Pem;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TestPki;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answer to an allowed request stays lean (issue #20): every documented identity header, and an
 * assertion that names its signer by {@code kid} and {@code x5t#S256} instead of carrying its chain.
 */
class LeanAnswerTest {
    @TempDir
    Path dir;
    SidecarHarness sidecar;
    String alice;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = new TestPki("Lean");
        alice = TestPki.base64(pki.client("alice"));
        sidecar = SidecarHarness.startOn(pki, dir);
    }

    @AfterEach
    void stop() {
        sidecar.close();
    }

    @Test
    void theAssertionNamesItsSignerAndTheAnswerKeepsEveryDocumentedHeader() throws Exception {
        HttpResponse<String> r = sidecar.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", alice,
                "X-Forwarded-Uri", "/api/client/me", "X-Forwarded-Method", "GET"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        int bytes = 0;
        for (String h : SidecarApp.IDENTITY_HEADERS) {
            String value = r.headers().firstValue(h).orElse("");
            assertThat(value).as(h).isNotEmpty();
            bytes += h.length() + 2 + value.length() + 2;
        }
        String token = r.headers().firstValue(SidecarApp.ASSERTION).orElseThrow();
        JsonNode header = new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]),
                StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("alg", "typ", "kid", "x5t#S256");
        X509Certificate signer = Pem.parseCertificate(Files.readString(dir.resolve("signer.crt")));
        assertThat(header.get("kid").asText()).isEqualTo(signer.getSerialNumber().toString(16));
        assertThat(header.get("x5t#S256").asText()).isEqualTo(SignerCertificates.thumbprint(signer));
        // With the signer's certificate in x5c, a warm answer's headers were 2.0 KB (EC CA) to 2.7 KB (RSA CA).
        assertThat(bytes).as("identity headers, bytes on the wire").isLessThan(1000);
    }
}
