package io.upki.e2e.revocation;

import static io.upki.sidecar.testing.SidecarConfigParts.ANY_PORT;
import static io.upki.sidecar.testing.SidecarConfigParts.decisions;
import static io.upki.sidecar.testing.SidecarConfigParts.limits;
import static io.upki.sidecar.testing.SidecarConfigParts.trust;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaCurve;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlNumberFloor;
import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.pki.crlfeed.CrlState;
import io.upki.pki.options.CrlFeedSettings;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.publisher.Publisher;
import io.upki.publisher.TestPublishers;
import io.upki.sidecar.Sidecar;
import io.upki.sidecar.SidecarConfig;
import io.upki.testkit.clock.MutableClock;
import io.upki.testkit.pki.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #18 item 4, through the real path (a CA on ZeroMQ, two publishers on HTTP, sidecars subscribed
 * to both): one publisher down changes nothing; both down, a sidecar with {@code --ca-events} takes CRLs
 * from the CA and a revocation still reaches it by the CA's event feed, and {@code /ready} says so; a
 * publisher back ends the fallback. The sidecars poll once in ten minutes, so a refusal within the 15 s
 * each wait allows came by a push, never by a poll. Each run prints its revoke-to-refused times; the
 * one-second promise is a figure of many revocations (bench/results/crl-fallback-*.md,
 * bench/revocation-bench.sh), not of one wall-clock sample on a shared CI machine.
 */
class RevocationWithoutPublishersTest {
    private static final Duration FALLBACK_AFTER = Duration.ofSeconds(2);
    /** Far beyond every wait of this test: whatever reaches a sidecar in time was pushed. */
    private static final Duration POLL = Duration.ofMinutes(10);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock();
    @TempDir
    Path dir;
    TestCa ca;
    Publisher a;
    Publisher b;
    int portA;
    int portB;
    Sidecar withFallback;
    Sidecar withoutFallback;

    void start(boolean curve) throws Exception {
        TestCa.initialize(dir.resolve("ca"), "ec");
        ca = curve ? TestCa.openCurve(dir.resolve("ca"), TestCa.freePortBlock())
                : TestCa.open(dir.resolve("ca"), Duration.ofMinutes(5), null, clock);
        Path caCrt = Files.writeString(dir.resolve("ca.crt"), ca.call(CaTask.GET_CA, CaClient.params()).asText());
        if (!curve) {
            a = publisher("a", 0);
            b = publisher("b", 0);
            portA = a.port();
            portB = b.port();
        } else {
            // No publisher at all (their ports closed): the sidecar's CURVE key, enrolled as role sidecar,
            // must be admitted to the CA's event feed.
            portA = TestCa.freePortBlock();
            portB = portA + 1;
        }
        String crls = "http://127.0.0.1:" + portA + "/crl.der,http://127.0.0.1:" + portB + "/crl.der";
        String events = "http://127.0.0.1:" + portA + "/events,http://127.0.0.1:" + portB + "/events";
        CaCurve sidecarCurve = curve ? CaCurve.open(ca.curvePublicKey(), dir.resolve("sidecar-key")) : CaCurve.NONE;
        withFallback = Sidecar.start(sidecar("edge-1", crls, events,
                new CrlFallbackSettings(ca.eventsEndpoint(), FALLBACK_AFTER)), sidecarCurve, clock);
        if (!curve) {
            withoutFallback = Sidecar.start(sidecar("edge-2", crls, events, null), CaCurve.NONE, clock);
        }
    }

    private SidecarConfig sidecar(String name, String crls, String events, CrlFallbackSettings fallback) {
        var signing = new SidecarConfig.Signing(null, null, ca.registrationEndpoint(), TestCa.SEED, name, dir.resolve(name));
        return new SidecarConfig(ANY_PORT, trust(dir.resolve("ca.crt"), null,
                new CrlFeedSettings(List.of(crls.split(",")), events, fallback, POLL, Duration.ZERO)),
                new SidecarConfig.Admins(null, ca.opsEndpoint(), Duration.ofSeconds(5)), signing, limits(1000),
                decisions("traefik", false), null);
    }

    private Publisher publisher(String name, int port) throws Exception {
        return Publisher.start(TestPublishers.config(ca, dir.resolve("out-" + name), port, Duration.ofSeconds(3)), clock);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {withFallback, withoutFallback, a, b, ca}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the next one still closes
                }
            }
        }
    }

    int status(Sidecar sidecar, String cert) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + "/auth/traefik"))
                .header("X-Forwarded-Tls-Client-Cert", cert).header("X-Forwarded-Uri", "/api/v1/health")
                .header("X-Forwarded-Method", "GET").build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    JsonNode ready(Sidecar sidecar) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port()
                + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
        return ((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(r.body())).put("http", r.statusCode());
    }

    String metrics(Sidecar sidecar) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits (at most 15 s) until the sidecar's {@code /ready} reports {@code mode}. */
    void untilMode(Sidecar sidecar, String mode) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!mode.equals(ready(sidecar).path("crl_feed").path("mode").asText())) {
            assertThat(System.nanoTime()).as("crl_feed " + mode + " within 15 s: " + ready(sidecar)).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    String adminCertificate(String cn) throws Exception {
        String pem = ca.client().sign(TestKeys.csr("CN=" + cn), "admin").get("certificate").asText();
        return Base64.getEncoder().encodeToString(Pem.parseCertificate(pem).getEncoded());
    }

    /** Revokes {@code cert}, signs a CRL (the user guide's two steps) and returns ms until the sidecar refuses it. */
    long revokeAndTime(Sidecar sidecar, String cert) throws Exception {
        assertThat(status(sidecar, cert)).isEqualTo(200);
        X509Certificate c = Pem.parseCertificate("-----BEGIN CERTIFICATE-----\n" + cert + "\n-----END CERTIFICATE-----\n");
        long start = System.nanoTime();
        ca.call(CaTask.REVOKE, CaClient.params().put("serial", c.getSerialNumber()).put("reason", "keyCompromise"));
        ca.call(CaTask.GENERATE_CRL, CaClient.params());
        long deadline = start + 15_000_000_000L;
        while (status(sidecar, cert) != 403) {
            assertThat(System.nanoTime()).as("refused within 15 s, by a push (no poll for 10 min)").isLessThan(deadline);
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void oneOfTwoPublishersDownChangesNothing() throws Exception {
        start(false);
        untilMode(withFallback, "publishers");
        revokeAndTime(withFallback, adminCertificate("warm-up")); // first use of every class, untimed
        a.close();
        a = null;
        long ms = revokeAndTime(withFallback, adminCertificate("one-down.example.internal"));
        System.out.println("crl-fallback: one of two publishers down, revoke + generate_crl -> refused after " + ms + " ms");
        JsonNode feed = ready(withFallback).path("crl_feed");
        assertThat(feed.path("mode").asText()).isEqualTo("publishers");
        assertThat(feed.path("answering").asInt()).isEqualTo(1);
        assertThat(feed.path("degraded").asBoolean()).isFalse();
    }

    @Test
    void bothPublishersDownTheCaTakesOverAndAPublisherBackEndsIt() throws Exception {
        start(false);
        untilMode(withFallback, "publishers");
        untilMode(withoutFallback, "publishers");
        revokeAndTime(withFallback, adminCertificate("warm-up"));
        a.close();
        b.close();
        a = null;
        b = null;
        untilMode(withFallback, "ca-fallback");
        JsonNode r = ready(withFallback);
        assertThat(r.path("http").asInt()).as("still deciding correctly: ready").isEqualTo(200);
        assertThat(r.path("crl_feed").path("degraded").asBoolean()).isTrue();
        assertThat(metrics(withFallback)).contains("upki_sidecar_crl_ca_fallback 1.0")
                .contains("upki_sidecar_crl_feed_degraded 1.0").contains("upki_sidecar_crl_publishers_answering 0.0");

        String cert = adminCertificate("all-down.example.internal");
        assertThat(status(withoutFallback, cert)).isEqualTo(200);
        long ms = revokeAndTime(withFallback, cert);
        System.out.println("crl-fallback: both publishers down, CA fallback, revoke + generate_crl -> refused after " + ms + " ms");
        // Without --ca-events nothing new arrives, and /ready says so instead of staying silent.
        assertThat(status(withoutFallback, cert)).as("no fallback: the old CRL stays").isEqualTo(200);
        JsonNode plain = ready(withoutFallback).path("crl_feed");
        assertThat(plain.path("mode").asText()).isEqualTo("no-publisher");
        assertThat(plain.path("detail").asText()).contains("no CA fallback");

        // A publisher back on its port: the fallback ends and revocations come through the publisher again.
        a = publisher("a", portA);
        untilMode(withFallback, "publishers");
        assertThat(metrics(withFallback)).contains("upki_sidecar_crl_ca_fallback 0.0");
        long back = revokeAndTime(withFallback, adminCertificate("back.example.internal"));
        System.out.println("crl-fallback: one publisher back, revoke + generate_crl -> refused after " + back + " ms");
        untilMode(withoutFallback, "publishers");
        assertThat(status(withoutFallback, cert)).as("caught up from the publisher that came back").isEqualTo(403);
    }

    @Test
    void underCurveTheSidecarKeyFollowsTheCaFeed() throws Exception {
        start(true);
        untilMode(withFallback, "ca-fallback");
        revokeAndTime(withFallback, adminCertificate("warm-up"));
        long ms = revokeAndTime(withFallback, adminCertificate("curve.example.internal"));
        System.out.println("crl-fallback: CURVE, no publisher, revoke + generate_crl -> refused after " + ms + " ms");
    }

    @Test
    void twoSourcesNeverTakeAnOlderOrTheSameCrlAgain() throws Exception {
        start(false);
        byte[] older = ca.client().getCrl();
        String cert = adminCertificate("two-sources.example.internal");
        X509Certificate c = Pem.parseCertificate("-----BEGIN CERTIFICATE-----\n" + cert + "\n-----END CERTIFICATE-----\n");
        ca.call(CaTask.REVOKE, CaClient.params().put("serial", c.getSerialNumber()).put("reason", "keyCompromise"));
        byte[] newer = ca.client().generateCrl();
        X509Certificate caCert = Pem.parseCertificate(Files.readString(dir.resolve("ca.crt")));
        CrlState state = new CrlState(new CrlAcceptor(List.of(caCert), clock, Duration.ZERO, CrlNumberFloor.inMemory()),
                clock, List.of(caCert), () -> { });
        assertThat(state.offer(newer, "publisher a")).hasSize(1);
        assertThat(state.offer(newer, "publisher b")).as("the same CRL from the second source").isEmpty();
        assertThat(state.offer(older, "publisher b")).as("an older CRL from a lagging source").isEmpty();
        assertThat(state.rejectedCount()).isEqualTo(1);
        assertThat(state.current().snapshots()).singleElement()
                .satisfies(s -> assertThat(s.revokedSerials().contains(c.getSerialNumber())).isTrue());
    }
}
