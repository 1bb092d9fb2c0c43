package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.ca.testing.TestCrls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacks on the publisher's HTTP surface, each through a real publisher and CA on loopback, refused. */
class PublisherHardeningTest {
    @TempDir
    Path dir;
    TestCa ca;
    Publisher publisher;
    String base;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        ca = TestCa.start(dir.resolve("ca"));
        publisher = Publisher.start(new PublisherConfig(ca.opsEndpoint(), ca.eventsEndpoint(), null, dir.resolve("out"),
                "127.0.0.1", 0, Duration.ofMinutes(1), Duration.ofMillis(20), Duration.ofMillis(200),
                Duration.ofSeconds(60), Duration.ofSeconds(5)), Clock.systemUTC());
        base = "http://127.0.0.1:" + publisher.port();
        PublicationTest.settled(http, base);
    }

    @AfterEach
    void stop() {
        publisher.close();
        ca.close();
    }

    HttpResponse<String> send(String method, String path, String override) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("X-HTTP-Method-Override", override)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The number of the CA's latest CRL: it grows by one with every generate_crl the CA answers. */
    java.math.BigInteger caCrlNumber() throws Exception {
        return TestCrls.number(TestCrls.parse(ca.client().getCrl()));
    }

    @Test
    void aMethodOverrideHeaderNeverChangesTheRoute() throws Exception {
        // A GET (a link, an image tag) named POST by the header used to make the CA sign a CRL.
        java.math.BigInteger before = caCrlNumber();
        assertThat(send("GET", "/refresh", "POST").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/crl.der", "GET").statusCode()).isEqualTo(404);
        assertThat(caCrlNumber()).isEqualTo(before);
    }
}
