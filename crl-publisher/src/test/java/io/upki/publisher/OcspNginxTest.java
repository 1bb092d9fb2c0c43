package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.testkit.nginx.TestNginx;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx 1.22 checking client certificates by OCSP against the publisher ({@code ssl_ocsp on}), with no
 * sidecar anywhere: a revoked client certificate is refused by nginx itself soon after the revocation
 * (the time is printed; bench/ocsp-bench.sh measures the responder). nginx asks with the GET form of RFC 6960 appendix A.1, base64 escaped in the path.
 */
class OcspNginxTest {

    @TempDir
    Path dir;
    TestCa ca;
    Publisher publisher;
    TestNginx nginx;
    int port;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(TestNginx.installed(), "nginx is installed at /usr/sbin/nginx");
        TestCa.initialize(dir.resolve("ca"), "ec");
        int publisherPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            publisherPort = s.getLocalPort();
        }
        // The CA names the responder in every certificate (AIA id-ad-ocsp), as ocsp_url in config.yml does.
        ca = TestCa.open(dir.resolve("ca"), Duration.ofDays(1), null, "http://127.0.0.1:" + publisherPort + "/ocsp",
                Clock.systemUTC(), 0);
        publisher = Publisher.start(TestPublishers.withOcsp(ca, dir, publisherPort, Duration.ofSeconds(3)),
                Clock.systemUTC());
        Files.writeString(dir.resolve("ca.crt"), ca.call(CaTask.GET_CA, CaClient.params()).asText());
        KeyPair serverKey = TestKeys.ec256();
        Files.writeString(dir.resolve("server.key"), Pem.encodePrivateKey(serverKey.getPrivate(), null));
        Files.writeString(dir.resolve("server.crt"), ca.client().sign(TestKeys.csr(serverKey, "CN=edge.example.internal",
                List.of("edge.example.internal")), "server").get("certificate").asText());
        TestPublishers.awaitFirstCrl(publisher);
    }

    /** @param responderLine nginx's ssl_ocsp_responder, or an empty line to use the certificates' AIA */
    void startNginx(String responderLine) throws Exception {
        nginx = TestNginx.start(dir, p -> """
                    server {
                        listen 127.0.0.1:%2$d ssl;
                        server_name edge.example.internal;
                        ssl_certificate     %1$s/server.crt;
                        ssl_certificate_key %1$s/server.key;
                        ssl_verify_client on;
                        ssl_client_certificate %1$s/ca.crt;
                        ssl_ocsp on;
                        %3$s
                        # Every handshake is verified anew (no resumption, no OCSP cache: ssl_ocsp_cache is off).
                        ssl_session_cache off;
                        ssl_session_tickets off;
                        location / { return 200 "hello $ssl_client_s_dn\\n"; }
                    }
                """.formatted(dir, p, responderLine));
        port = nginx.port();
    }

    String log() throws IOException {
        return nginx == null ? "" : nginx.errorLog();
    }

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (ca != null) {
            ca.close();
        }
    }

    /** A client certificate (user profile, clientAuth) with its key in files; returns its serial. */
    BigInteger client(String name) throws Exception {
        KeyPair keys = TestKeys.ec256();
        Files.writeString(dir.resolve(name + ".key"), Pem.encodePrivateKey(keys.getPrivate(), null));
        String pem = ca.client().sign(TestKeys.csr(keys, "CN=" + name, List.of()), "user").get("certificate").asText();
        Files.writeString(dir.resolve(name + ".crt"), pem);
        return Pem.parseCertificate(pem).getSerialNumber();
    }

    /** The HTTP status nginx answers a real TLS handshake with {@code name}'s certificate (400: refused). */
    int curl(String name) throws Exception {
        Process p = new ProcessBuilder("curl", "-sk", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                "--cert", dir.resolve(name + ".crt").toString(), "--key", dir.resolve(name + ".key").toString(),
                "https://127.0.0.1:" + port + "/").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(out);
    }

    String metrics() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + publisher.port() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    static long metric(String text, String name) {
        // Prometheus text writes counters as floats ("2.0"); these counts are whole.
        return text.lines().filter(l -> l.startsWith(name + " "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(name.length() + 1).strip()))
                .findFirst().orElseThrow();
    }

    long untilRefused(String name, long startNanos) throws Exception {
        long deadline = startNanos + 10_000_000_000L;
        while (curl(name) != 400) {
            assertThat(System.nanoTime()).as("refused within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    String responder() {
        return "ssl_ocsp_responder http://127.0.0.1:" + publisher.port() + "/ocsp;";
    }

    @Test
    void nginxRefusesARevokedClientCertificateByOcspAlone() throws Exception {
        startNginx(responder());
        client("alice");
        assertThat(curl("alice")).as(log()).isEqualTo(200);
        // nginx asked the responder (GET form, no nonce) and got "good"; the second time from the cache.
        assertThat(curl("alice")).isEqualTo(200);
        String metrics = metrics();
        assertThat(metric(metrics, "upki_publisher_ocsp_requests_total")).isGreaterThanOrEqualTo(2);
        assertThat(metric(metrics, "upki_publisher_ocsp_cached_total")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "upki_publisher_ocsp_refused_total")).isZero();

        BigInteger warm = client("warm-up");
        assertThat(curl("warm-up")).isEqualTo(200);
        ca.client().revokeSerial(warm, "superseded");
        untilRefused("warm-up", System.nanoTime());

        BigInteger bob = client("bob");
        assertThat(curl("bob")).isEqualTo(200);
        long start = System.nanoTime();
        ca.client().revokeSerial(bob, "keyCompromise");
        long ms = untilRefused("bob", start);
        System.out.println("revoke -> nginx (ssl_ocsp) refuses after " + ms + " ms");
        assertThat(log()).contains("certificate revoked");
        // Others still get in.
        assertThat(curl("alice")).isEqualTo(200);
    }

    @Test
    void withoutAnAnswerFromTheResponderNginxRefuses() throws Exception {
        startNginx(responder());
        client("carol");
        assertThat(curl("carol")).isEqualTo(200);
        publisher.close();
        publisher = null;
        // Fail closed: no OCSP answer, no entry.
        assertThat(curl("carol")).isEqualTo(400);
    }

    @Test
    void nginxFindsTheResponderInTheCertificatesAuthorityInformationAccess() throws Exception {
        startNginx("# no ssl_ocsp_responder: the client certificate's AIA names the responder");
        BigInteger dave = client("dave");
        assertThat(curl("dave")).as(log()).isEqualTo(200);
        ca.client().revokeSerial(dave, "affiliationChanged");
        long ms = untilRefused("dave", System.nanoTime());
        assertThat(ms).isLessThan(5000);
        assertThat(metric(metrics(), "upki_publisher_ocsp_requests_total")).isGreaterThanOrEqualTo(2);
    }
}
