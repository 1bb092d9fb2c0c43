package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestCrls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        publisher = Publisher.start(TestPublishers.config(ca, dir.resolve("out"), 0, Duration.ofSeconds(5)),
                Clock.systemUTC());
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
        java.math.BigInteger before = caCrlNumber();
        // 100 connections first, then the 100 requests written back to back: all arrive within the second.
        List<java.net.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            java.net.Socket s = new java.net.Socket("127.0.0.1", publisher.port());
            s.setSoTimeout(15_000);
            sockets.add(s);
        }
        byte[] request = ("POST /refresh HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        for (java.net.Socket s : sockets) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
        }
        long sentMs = (System.nanoTime() - start) / 1_000_000;
        List<String> answers = new ArrayList<>();
        for (java.net.Socket s : sockets) {
            try (s) {
                answers.add(new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long signed = caCrlNumber().subtract(before).longValueExact();
        System.out.println("100 POST /refresh sent in " + sentMs + " ms, answered in " + millis + " ms; the CA signed "
                + signed + " CRLs");
        assertThat(sentMs).as("the burst was sent within a second").isLessThan(1000);
        // Each call used to be one generate_crl (100 here); now the first starts one, the rest join the next.
        assertThat(signed).isBetween(1L, 2L);
        for (String r : answers) {
            assertThat(r).startsWith("HTTP/1.1 200");
            // Every caller is answered with a CRL made after it asked.
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"number\":\"(\\d+)\"").matcher(r);
            assertThat(m.find()).as(r).isTrue();
            long number = Long.parseLong(m.group(1));
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
