package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.sidecar.testing.SidecarHarness;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the forward-auth reference vectors, at the clock they name, through the real HTTP server. */
class VectorsTest {
    @TempDir
    static Path dir;
    static SidecarHarness sidecar;
    static JsonNode vectors;

    @BeforeAll
    static void start() throws Exception {
        Path v = SidecarHarness.vectors();
        vectors = new ObjectMapper().readTree(v.resolve("vectors.json").toFile());
        Clock clock = Clock.fixed(Instant.parse(vectors.get("evaluate_at").asText()), ZoneOffset.UTC);
        Path admins = Files.writeString(dir.resolve("admins.txt"), "# none\n");
        sidecar = SidecarHarness.start(SidecarHarness.config(v.resolve(vectors.get("trust_anchor").asText()),
                v.resolve(vectors.get("intermediates").asText()), List.of(v.resolve(vectors.get("crls").asText()).toString()),
                admins, SidecarHarness.throwawaySigning(dir), "traefik"), clock);
    }

    @AfterAll
    static void stop() {
        sidecar.close();
    }

    static Stream<Arguments> cases() throws Exception {
        JsonNode all = new ObjectMapper().readTree(SidecarHarness.vectors().resolve("vectors.json").toFile());
        List<Arguments> args = new ArrayList<>();
        for (JsonNode v : all.get("vectors")) {
            if (!v.get("expected").asText().equals("informational-only")) {
                args.add(Arguments.of(v.get("name").asText(), v));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vector(String name, JsonNode v) throws Exception {
        String proxy = v.get("proxy").asText().split("[ <>=]")[0];
        Map<String, String> headers = new HashMap<>();
        if (!v.get("value").isNull()) {
            headers.put(v.get("header").asText(), v.get("value").asText());
        }
        headers.put(proxy.equals("nginx") ? "X-Original-URI" : "X-Forwarded-Uri", "/api/client/certificate?x=1");
        headers.put(proxy.equals("nginx") ? "X-Original-Method" : "X-Forwarded-Method", "GET");
        HttpResponse<String> r = sidecar.get("/auth/" + proxy, headers);
        String expected = v.get("expected").asText();
        switch (expected) {
            case "allow" -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.headers().firstValue(SidecarApp.FINGERPRINT)).hasValue(v.get("leaf_sha256").asText());
                assertThat(r.headers().firstValue(SidecarApp.SERIAL)).hasValue(v.get("leaf_serial_hex").asText().toLowerCase());
                assertThat(URLDecoder.decode(r.headers().firstValue(SidecarApp.SUBJECT).orElseThrow()
                        .replace("+", "%2B"), StandardCharsets.UTF_8)).isEqualTo(v.get("leaf_subject_rfc4514").asText());
                assertThat(r.headers().firstValue(SidecarApp.ROLE)).hasValue("client");
                assertThat(r.headers().firstValue(SidecarApp.ASSERTION).orElse("")).contains(".");
            }
            // The vectors predate the decision that every refusal is 403 (FORWARD-AUTH.md section 2: the user
            // guide promises "403 Forbidden" without a certificate; 401 would need an HTTP authentication
            // scheme client certificates do not have). Their "deny-401" is a missing certificate: 403 for
            // reason no_certificate.
            case "deny-401" -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
                assertThat(new ObjectMapper().readTree(r.body()).path("reason").asText()).as(r.body())
                        .isEqualTo("no_certificate");
                assertThat(r.headers().firstValue(SidecarApp.ASSERTION)).isEmpty();
            }
            case "deny-403" -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
                assertThat(r.headers().firstValue(SidecarApp.ASSERTION)).isEmpty();
            }
            default -> throw new AssertionError("unknown expectation " + expected);
        }
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.upki");
    }
}
