package io.upki.ca.ops;

import static io.upki.testkit.ops.Http.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.testkit.clock.MutableClock;
import io.upki.testkit.ops.ExportedMetrics;
import io.upki.testkit.ops.Scrape;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's operations listener, over real HTTP: health, readiness with reasons, promtool-checked metrics. */
class CaOpsTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        MutableClock clock = new MutableClock();
        TestCa.initialize(dir, "ec");
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, clock)) {
            int port = ca.server().startOps(new InetSocketAddress("127.0.0.1", 0));
            String base = "http://127.0.0.1:" + port;
            assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            // No CRL signed yet: not ready, and it says so.
            HttpResponse<String> before = get(base + "/ready");
            assertThat(before.statusCode()).isEqualTo(503);
            assertThat(json(before).get("reason").asText()).startsWith("crl:");
            ca.client().getCrl();
            HttpResponse<String> ready = get(base + "/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(json(ready).get("status").asText()).isEqualTo("ready");

            JsonNode kept = ca.call(CaTask.GENERATE, CaClient.params().put("cn", "kept.example.internal").put("profile", "server"));
            JsonNode doomed = ca.call(CaTask.GENERATE, CaClient.params().put("cn", "doomed.example.internal").put("profile", "server"));
            ca.client().revokeSerial(new BigInteger(doomed.get("serial").asText()), "keyCompromise");
            assertThatThrownBy(() -> ca.call(CaTask.GENERATE, CaClient.params().put("cn", "x.example.internal")
                    .put("profile", "no-such-profile-" + System.nanoTime())));
            ca.client().generateCrl();

            Scrape scrape = Scrape.of(get(base + "/metrics").body());
            assertThat(scrape.names()).containsAll(ExportedMetrics.CA_SERVER);
            assertThat(scrape.value("upki_ca_issuance_seconds_count", "task", "generate", "profile", "server",
                    "result", "ok")).isEqualTo(2.0);
            // A profile the CA does not know is counted as "unknown": clients cannot mint label values.
            assertThat(scrape.value("upki_ca_issuance_seconds_count", "task", "generate", "profile", "unknown",
                    "result", "refused")).isEqualTo(1.0);
            assertThat(scrape.value("upki_ca_revocation_seconds_count", "task", "revoke", "result", "ok")).isEqualTo(1.0);
            assertThat(scrape.value("upki_ca_crl_entries")).isEqualTo(1.0);
            assertThat(scrape.value("upki_ca_crl_size_bytes")).isPositive();
            assertThat(scrape.value("upki_ca_ready")).isEqualTo(1.0);
            assertThat(scrape.value("upki_ca_certificates_expiring", "within", "30d")).isZero();

            // Five days before the kept certificate expires: it counts in both windows, the revoked one in neither;
            // the CRL signed weeks earlier is stale, so the CA is not ready and says why.
            Instant notAfter = Pem.parseCertificate(kept.get("certificate").asText()).getNotAfter().toInstant();
            clock.advance(Duration.between(Instant.now(), notAfter.minus(Duration.ofDays(5))));
            ca.server().refreshExpiryMetrics();
            HttpResponse<String> stale = get(base + "/ready");
            assertThat(stale.statusCode()).isEqualTo(503);
            assertThat(json(stale).get("status").asText()).isEqualTo("not ready");
            assertThat(json(stale).get("reason").asText()).contains("crl").contains("stale");
            Scrape later = Scrape.of(get(base + "/metrics").body());
            assertThat(later.value("upki_ca_certificates_expiring", "within", "7d")).isEqualTo(1.0);
            assertThat(later.value("upki_ca_certificates_expiring", "within", "30d")).isEqualTo(1.0);
            assertThat(later.value("upki_ca_crl_seconds_to_next_update")).isNegative();
            assertThat(later.value("upki_ca_ready")).isZero();
            assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            assertThat(get(base + "/nope").statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        }
    }

    @Test
    void theRealProcessServesItsOpsListenerAndRefusesABadAddress() throws Exception {
        TestCa.initialize(dir, "ec");
        Process bad = process(null, "--port", Integer.toString(TestCa.freePortBlock()), "--ops-listen", "nonsense");
        String badOutput = new String(bad.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bad.waitFor()).isEqualTo(2);
        assertThat(badOutput.strip()).contains("--ops-listen: 'nonsense' is not host:port").doesNotContain("\tat ");

        int opsPort;
        try (var socket = new java.net.ServerSocket(0)) {
            opsPort = socket.getLocalPort();
        }
        Process ca = process(dir.resolve("ca.log").toFile(), "--port", Integer.toString(TestCa.freePortBlock()), "--ops-listen", "127.0.0.1:" + opsPort);
        try {
            String base = "http://127.0.0.1:" + opsPort;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                try {
                    if (get(base + "/health").statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                assertThat(ca.isAlive()).as("the CA process exited").isTrue();
                assertThat(System.nanoTime()).as("no /health within 60 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            Scrape.of(get(base + "/metrics").body());
        } finally {
            ca.destroy();
            ca.waitFor();
        }
    }

    /** Runs CaServerMain start; its output piped back when {@code log} is null, else written there. */
    private Process process(java.io.File log, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.upki.ca.CaServerMain", "start",
                "--data-dir", dir.toString()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log == null ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.to(log)).start();
    }
}
