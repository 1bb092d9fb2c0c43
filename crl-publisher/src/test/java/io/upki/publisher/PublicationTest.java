package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestCrls;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.publisher.publish.Publication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher accepts only good CRLs, never shows a partial file, and serves the CDP with conditional GET. */
class PublicationTest {
    @TempDir
    Path dir;

    /** The CRL once two reads 500 ms apart return the same ETag. */
    static HttpResponse<byte[]> settled(HttpClient http, String base) throws Exception {
        HttpResponse<byte[]> previous = null;
        for (int i = 0; i < 40; i++) {
            HttpResponse<byte[]> now = http.send(HttpRequest.newBuilder(URI.create(base + "/crl.der")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (previous != null && now.statusCode() == 200
                    && now.headers().firstValue("ETag").equals(previous.headers().firstValue("ETag"))) {
                return now;
            }
            previous = now;
            Thread.sleep(500);
        }
        throw new AssertionError("the publisher kept publishing new CRLs");
    }

    @Test
    void forgedReplayedAndExpiredCrlsAreRefusedAndTheLastGoodOneStays() throws Exception {
        try (TestCa ca = TestCa.start(dir.resolve("ca")); TestCa other = TestCa.start(dir.resolve("other"))) {
            X509Certificate caCert = Pem.parseCertificate(ca.call(CaTask.GET_CA, CaClient.params()).asText());
            Path out = Files.createDirectories(dir.resolve("out"));
            Publication publication = new Publication(new CrlAcceptor(List.of(caCert), Clock.systemUTC(), Duration.ZERO),
                    caCert, out, c -> { });
            byte[] first = ca.client().generateCrl();
            byte[] second = ca.client().generateCrl();
            assertThat(publication.offer(second)).isTrue();
            byte[] published = Files.readAllBytes(out.resolve("crl.der"));
            // Replayed older CRL.
            assertThat(publication.offer(first)).isFalse();
            // Forged: signed by another CA's key (same DN: both are "uPKI Root CA").
            assertThat(publication.offer(other.client().generateCrl())).isFalse();
            // Garbage.
            assertThat(publication.offer("not a crl".getBytes())).isFalse();
            assertThat(publication.rejectedCount()).isEqualTo(3);
            assertThat(Files.readAllBytes(out.resolve("crl.der"))).isEqualTo(published);
            // Expired: a publisher whose clock is past nextUpdate refuses the CA's current CRL.
            Publication late = new Publication(new CrlAcceptor(List.of(caCert),
                    Clock.fixed(Instant.now().plus(Duration.ofDays(8)), ZoneOffset.UTC), Duration.ZERO), caCert,
                    Files.createDirectories(dir.resolve("late")), c -> { });
            assertThat(late.offer(ca.client().generateCrl())).isFalse();
            assertThat(Files.exists(dir.resolve("late/crl.der"))).isFalse();
            // The same CRL again is no change; a newer one is published.
            assertThat(publication.offer(second)).isFalse();
            assertThat(publication.offer(ca.client().generateCrl())).isTrue();
            assertThat(publication.publishedCount()).isEqualTo(2);
        }
    }

    @Test
    void aReaderNeverSeesAPartialFileDuringAThousandPublications() throws Exception {
        try (TestCa ca = TestCa.start(dir.resolve("ca"))) {
            X509Certificate caCert = Pem.parseCertificate(ca.call(CaTask.GET_CA, CaClient.params()).asText());
            Path out = Files.createDirectories(dir.resolve("out"));
            // Some entries, so the file is a few KiB rather than a few hundred bytes.
            for (int i = 0; i < 50; i++) {
                var serial = ca.client().sign(io.upki.testkit.pki.TestKeys.csr("CN=r" + i), "server").get("serial").bigIntegerValue();
                ca.client().revokeSerial(serial, "keyCompromise");
            }
            Publication publication = new Publication(new CrlAcceptor(List.of(caCert), Clock.systemUTC(), Duration.ZERO),
                    caCert, out, c -> { });
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                while (!done.get()) {
                    try {
                        byte[] der = Files.readAllBytes(out.resolve("crl.der"));
                        TestCrls.parse(der).verify(caCert.getPublicKey());
                        reads.incrementAndGet();
                    } catch (NoSuchFileException e) {
                        // before the first publication
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }
            });
            reader.start();
            for (int i = 0; i < 1000; i++) {
                assertThat(publication.offer(ca.client().generateCrl())).isTrue();
            }
            done.set(true);
            reader.join();
            assertThat(failure.get()).as("a read saw a partial or invalid file").isNull();
            assertThat(reads.get()).isGreaterThan(100);
            assertThat(publication.publishedCount()).isEqualTo(1000);
            System.out.println("1000 publications, " + reads.get() + " complete reads, none partial");
        }
    }

    @Test
    void distributionPointServesConditionalGetAndReloadsAfterRestart() throws Exception {
        try (TestCa ca = TestCa.start(dir.resolve("ca"))) {
            PublisherConfig config = TestPublishers.config(ca, dir.resolve("out"), 0, Duration.ofSeconds(2));
            HttpClient http = HttpClient.newHttpClient();
            String etag;
            String number;
            try (Publisher publisher = Publisher.start(config, Clock.systemUTC())) {
                String base = "http://127.0.0.1:" + publisher.port();
                HttpResponse<String> refreshed = http.send(HttpRequest.newBuilder(URI.create(base + "/refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refreshed.statusCode()).isEqualTo(200);
                // The publisher also makes a catch-up CRL when it connects to the event feed: wait until it settles.
                HttpResponse<byte[]> crl = settled(http, base);
                assertThat(crl.statusCode()).isEqualTo(200);
                assertThat(crl.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/pkix-crl"));
                etag = crl.headers().firstValue("ETag").orElseThrow();
                String lastModified = crl.headers().firstValue("Last-Modified").orElseThrow();
                assertThat(crl.headers().firstValue("Cache-Control").orElseThrow()).matches("public, max-age=\\d+");
                number = TestCrls.number(TestCrls.parse(crl.body())).toString();
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/crl.der")).header("If-None-Match", etag).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(304);
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/crl.der")).header("If-Modified-Since", lastModified)
                        .build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(304);
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/crl.pem")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).startsWith("-----BEGIN X509 CRL-----");
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ca.crt")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(ca.call(CaTask.GET_CA, CaClient.params()).asText());
                assertThat(io.upki.testkit.ops.Scrape.of(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body()).value("upki_publisher_crl_number"))
                        .isEqualTo(Double.parseDouble(number));
            }
            // Restart with the CA down: the last published CRL is served from the output folder.
            ca.close();
            try (Publisher publisher = Publisher.start(config, Clock.systemUTC())) {
                String base = "http://127.0.0.1:" + publisher.port();
                HttpResponse<byte[]> crl = http.send(HttpRequest.newBuilder(URI.create(base + "/crl.der")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(crl.statusCode()).isEqualTo(200);
                assertThat(crl.headers().firstValue("ETag")).hasValue(etag);
                assertThat(TestCrls.number(TestCrls.parse(crl.body())).toString()).isEqualTo(number);
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                // On-demand refresh with the CA down fails fast and clearly, and changes nothing.
                HttpResponse<String> refresh = http.send(HttpRequest.newBuilder(URI.create(base + "/refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refresh.statusCode()).isEqualTo(503);
                assertThat(refresh.body()).contains("did not answer");
            }
        }
    }

    @Test
    void aRevocationWhoseEventWasLostInACaRestartIsPublishedAfterTheNextHeartbeat() throws Exception {
        Path caDir = dir.resolve("ca");
        TestCa.initialize(caDir, "ec");
        int port = TestCa.freePortBlock();
        TestCa ca = TestCa.open(caDir, Duration.ofDays(7), null, Clock.systemUTC(), port);
        PublisherConfig config = TestPublishers.config(ca, dir.resolve("out"), 0, Duration.ofSeconds(2));
        HttpClient http = HttpClient.newHttpClient();
        try (Publisher publisher = Publisher.start(config, Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + publisher.port();
            settled(http, base);
            java.math.BigInteger serial = ca.client().sign(io.upki.testkit.pki.TestKeys.csr("CN=restarted.example.internal"),
                    "user").get("serial").bigIntegerValue();
            ca.close();
            ca = TestCa.open(caDir, Duration.ofDays(7), null, Clock.systemUTC(), port);
            // At once: the publisher's subscription reconnects after 100-500 ms, so this event is lost.
            ca.client().revokeSerial(serial, "keyCompromise");
            long revokedAt = System.nanoTime();
            boolean listed = false;
            while (!listed && System.nanoTime() - revokedAt < Duration.ofSeconds(5).toNanos()) {
                HttpResponse<byte[]> crl = http.send(HttpRequest.newBuilder(URI.create(base + "/crl.der")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                listed = TestCrls.parse(crl.body()).getRevokedCertificate(serial) != null;
                Thread.sleep(50);
            }
            long ms = (System.nanoTime() - revokedAt) / 1_000_000;
            assertThat(listed).as("published within 5 s").isTrue();
            // Heartbeat (1 s when idle) + debounce + generate_crl: well under the 2.5 s it would take twice.
            assertThat(ms).as("ms from the revocation to its publication").isLessThan(2500);
        } finally {
            ca.close();
        }
    }
    @Test
    void aPushedDeltaIsRecordedBeforeAnyHolderCanAcknowledgeIt() throws Exception {
        try (TestCa ca = TestCa.start(dir.resolve("ca"))) {
            X509Certificate caCert = Pem.parseCertificate(ca.call(CaTask.GET_CA, CaClient.params()).asText());
            Publication publication = new Publication(new CrlAcceptor(List.of(caCert), Clock.systemUTC(), Duration.ZERO),
                    caCert, Files.createDirectories(dir.resolve("out")), c -> { });
            assertThat(publication.offer(ca.client().generateCrl())).isTrue();
            io.upki.pki.caclient.DeltaCrlBytes delta = new io.upki.pki.caclient.TypedCaClient(ca.client()).generateDeltaCrl();
            assertThat(delta.hasDelta()).isTrue();
            // A holder on loopback applies the push and answers POST /status/took within the push itself:
            // the publisher must already know the number it pushed (CI saw such an answer refused).
            AtomicReference<java.math.BigInteger> knownDuringPush = new AtomicReference<>();
            assertThat(publication.offerDelta(delta.der(), delta.base(),
                    d -> knownDuringPush.set(publication.lastDeltaNumber()))).isTrue();
            assertThat(knownDuringPush.get()).isEqualTo(delta.number());
            assertThat(publication.offerDelta(delta.der(), delta.base(), d -> { })).as("pushed once").isFalse();
        }
    }
}
