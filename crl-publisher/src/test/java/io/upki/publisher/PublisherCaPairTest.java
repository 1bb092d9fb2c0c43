package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestCrls;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crl-publisher given a CA pair ({@code --ca tcp://a:p,tcp://b:q}) without {@code --events}: it fetches
 * through the CA that is up and subscribes to both feeds (each port + 2), so a revocation on the second CA
 * is published from that CA's event, with a real CA on loopback and the first CA's ports closed.
 */
class PublisherCaPairTest {
    @TempDir
    Path dir;

    @Test
    void eventsFromTheSecondCaOfAPairReachThePublisher() throws Exception {
        Path caDir = dir.resolve("ca");
        TestCa.initialize(caDir, "ec");
        int dead = TestCa.freePortBlock();
        int port = TestCa.freePortBlock();
        String pair = "tcp://127.0.0.1:" + dead + ",tcp://127.0.0.1:" + port;
        assertThat(PublisherConfig.defaultEvents(pair))
                .isEqualTo("tcp://127.0.0.1:" + (dead + 2) + ",tcp://127.0.0.1:" + (port + 2));
        try (TestCa ca = TestCa.open(caDir, Duration.ofDays(7), null, Clock.systemUTC(), port)) {
            PublisherConfig config = new PublisherConfig(pair, null, null, dir.resolve("out"),
                    "127.0.0.1", 0, Duration.ofMinutes(1), Duration.ofMillis(20), Duration.ofMillis(200),
                    Duration.ofSeconds(60), Duration.ofSeconds(2));
            HttpClient http = HttpClient.newHttpClient();
            try (Publisher publisher = Publisher.start(config, Clock.systemUTC())) {
                String base = "http://127.0.0.1:" + publisher.port();
                PublicationTest.settled(http, base);
                BigInteger serial = ca.client().sign(io.upki.testkit.pki.TestKeys.csr("CN=pair.example.internal"),
                        "user").get("serial").bigIntegerValue();
                ca.client().revokeSerial(serial, "keyCompromise");
                long revokedAt = System.nanoTime();
                boolean listed = false;
                while (!listed && System.nanoTime() - revokedAt < Duration.ofSeconds(10).toNanos()) {
                    HttpResponse<byte[]> crl = http.send(HttpRequest.newBuilder(URI.create(base + "/crl.der")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    listed = TestCrls.parse(crl.body()).getRevokedCertificate(serial) != null;
                    Thread.sleep(50);
                }
                // Without the feed only the one-minute margin would renew the CRL: 10 s proves the event came.
                assertThat(listed).as("published from the second CA's event within 10 s").isTrue();
            }
        }
    }

    @Test
    void aMalformedCaListIsRefusedInOneLine() {
        assertThatThrownBy(() -> new PublisherConfig("tcp://a:5000,", null, null, dir.resolve("out"), "127.0.0.1", 0,
                Duration.ofMinutes(1), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60),
                Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ca: 'tcp://a:5000,' has an empty element");
    }
}
