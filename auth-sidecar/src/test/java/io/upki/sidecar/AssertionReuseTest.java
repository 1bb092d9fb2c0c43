package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TestPki;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the sidecar keeps an assertion for reuse: only for a client seen before, and never across a new
 * CRL (the token names the CRL number it was decided with).
 */
class AssertionReuseTest {
    @TempDir
    Path dir;
    TestPki pki;
    Path crlFile;
    SidecarHarness sidecar;
    String alice;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki("Reuse");
        alice = TestPki.base64(pki.client("alice"));
        crlFile = dir.resolve("crls.pem");
        sidecar = SidecarHarness.startOn(pki, dir);
    }

    @AfterEach
    void stop() {
        sidecar.close();
    }

    private String token() throws Exception {
        return token("GET");
    }

    private String token(String method) throws Exception {
        HttpResponse<String> r = sidecar.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", alice,
                "X-Forwarded-Uri", "/api/client/me", "X-Forwarded-Method", method));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue(SidecarApp.ASSERTION).orElseThrow();
    }

    private static String crlClaim(String token) throws Exception {
        byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
        return new ObjectMapper().readTree(new String(payload, StandardCharsets.UTF_8)).get("crl").asText();
    }

    @Test
    void aFirstSightingIsSignedAndNotKeptALaterOneIsReused() throws Exception {
        String first = token();
        String second = token();
        String third = token();
        assertThat(second).as("the first token was not kept").isNotEqualTo(first);
        assertThat(third).as("a client seen before gets the kept token").isEqualTo(second);
    }

    @Test
    void aNewCrlMeansANewToken() throws Exception {
        token();
        String kept = token();
        assertThat(token()).isEqualTo(kept);
        Path tmp = dir.resolve("crls.tmp");
        Files.writeString(tmp, pki.crls(11, List.of(), List.of()));
        Files.move(tmp, crlFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sidecar.sidecar().refreshCrls();
        String after = token();
        assertThat(after).isNotEqualTo(kept);
        assertThat(crlClaim(kept)).isEqualTo("10");
        assertThat(crlClaim(after)).isEqualTo("11");
    }

    @Test
    void unsafeMethodsGetAFreshTokenEveryTime() throws Exception {
        // The RA accepts an assertion for an unsafe method once (its body is not bound to it): a kept one
        // would be refused on the second identical request.
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            List<String> tokens = List.of(token(method), token(method), token(method));
            assertThat(java.util.Set.copyOf(tokens)).as(method).hasSize(3);
        }
        token("HEAD");
        assertThat(token("HEAD")).isEqualTo(token("HEAD"));
    }
}
