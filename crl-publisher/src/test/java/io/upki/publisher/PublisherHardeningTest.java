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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    HttpResponse<String> refresh() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/refresh")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHundredRefreshesInASecondMakeTheCaSignAtMostTwoCrls() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        java.math.BigInteger before = caCrlNumber();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/refresh"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long signed = caCrlNumber().subtract(before).longValueExact();
        System.out.println("100 concurrent POST /refresh answered in " + millis + " ms; the CA signed " + signed + " CRLs");
        // Each call used to be one generate_crl (100 here); now the first starts one, the rest join the next.
        assertThat(signed).isBetween(1L, 2L);
        for (HttpResponse<String> r : answers) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            // Every caller is answered with a CRL made after it asked.
            long number = Long.parseLong(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body())
                    .get("number").asText());
            assertThat(number).isGreaterThan(before.longValueExact());
        }
    }

    @Test
    void aRefreshAfterTheIntervalStillMakesANewCrl() throws Exception {
        java.math.BigInteger before = caCrlNumber();
        assertThat(refresh().statusCode()).isEqualTo(200);
        Thread.sleep(1100);
        assertThat(refresh().statusCode()).isEqualTo(200);
        assertThat(caCrlNumber().subtract(before).longValueExact()).isEqualTo(2);
    }
}
