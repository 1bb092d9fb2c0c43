package io.upki.pki.crlfeed;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.TestCrlAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delta CRLs through the push channel as a sidecar holds it, against a publisher stand-in on loopback:
 * a delta event is verified and applied at once, the announcement of the complete CRL it came with is
 * then not fetched, and a delta that the CA did not sign (anyone who can write to the channel) changes
 * nothing and is counted as refused.
 */
class DeltaPushTest {
    private static final BigInteger A = BigInteger.valueOf(0xA1);
    private static final BigInteger B = BigInteger.valueOf(0xB2);
    private static final BigInteger C = BigInteger.valueOf(0xC3);

    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final AtomicInteger completeFetches = new AtomicInteger();
    private volatile byte[] served;
    private HttpServer server;
    private TestCrlAuthority ca;
    private CrlState state;
    private CrlSources sources;
    private CrlPushListener listener;

    @BeforeEach
    void start() throws Exception {
        ca = new TestCrlAuthority(Instant.now());
        served = ca.complete(5, A);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/crl.der", exchange -> {
            completeFetches.incrementAndGet();
            byte[] body = served;
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/events", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    String event = events.poll(200, TimeUnit.MILLISECONDS);
                    out.write((event == null ? ": ping\n\n" : event).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the subscriber went away
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Clock clock = Clock.systemUTC();
        state = new CrlState(new CrlAcceptor(List.of(ca.certificate()), clock, Duration.ZERO), clock,
                List.of(ca.certificate()), () -> { });
        sources = new CrlSources(state, List.of(base + "/crl.der"), Duration.ofMinutes(30));
        sources.start();
        listener = new CrlPushListener(URI.create(base + "/events"), sources,
                new PublisherWatch(clock, List.of(URI.create(base + "/events"))));
        listener.start();
        assertThat(state.current().snapshotFor(ca.certificate()).number()).isEqualTo(5);
    }

    @AfterEach
    void stop() {
        listener.close();
        sources.close();
        server.stop(0);
    }

    private static String delta(long number, long base, byte[] der) {
        return "event: delta\nid: " + number + "\ndata: {\"number\":\"" + number + "\",\"base\":\"" + base
                + "\",\"der\":\"" + Base64.getEncoder().encodeToString(der) + "\"}\n\n";
    }

    private static String complete(long number) {
        return "event: crl\nid: " + number + "\ndata: {\"number\":\"" + number + "\",\"etag\":\"x\"}\n\n";
    }

    private static String complete(long number, String numbers) {
        return "event: crl\nid: " + number + "\ndata: {\"number\":\"" + number + "\",\"etag\":\"x\",\"numbers\":\""
                + numbers + "\"}\n\n";
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private boolean revoked(BigInteger serial) {
        return state.current().snapshotFor(ca.certificate()).revokes(serial);
    }

    @Test
    void aPushedDeltaIsAppliedAndItsCompleteCrlIsNotFetched() throws Exception {
        int fetchesBefore = completeFetches.get();
        served = ca.complete(6, A, B);
        events.add(delta(6, 5, ca.delta(6, 5, B)));
        events.add(complete(6));
        await("the delta is applied", () -> revoked(B));
        // A marker event after the announcement: once it is handled, the announcement was too.
        served = ca.complete(7, A, B, C);
        events.add(delta(7, 5, ca.delta(7, 5, B, C)));
        await("the second delta is applied", () -> revoked(C));

        assertThat(state.deltaCount()).isEqualTo(2);
        assertThat(completeFetches.get()).as("no complete CRL fetched for a number already in force")
                .isEqualTo(fetchesBefore);
        assertThat(state.current().snapshotFor(ca.certificate()).number()).isEqualTo(7);
    }

    @Test
    void aForgedDeltaOnTheChannelChangesNothing() throws Exception {
        // The attack: write a delta to the push channel that the CA did not sign, to revoke (deny service)
        // or to move the CRL number on so that the real CRL of that number would be skipped.
        events.add(delta(6, 5, ca.forgedDelta(6, 5, B)));
        await("the forged delta is refused", () -> state.rejectedCount() == 1);
        assertThat(revoked(B)).isFalse();
        assertThat(state.holds(BigInteger.valueOf(6))).isFalse();

        // The announcement of the real CRL 6 that follows is therefore fetched, and decides.
        served = ca.complete(6, A, C);
        events.add(complete(6));
        await("the complete CRL is fetched and applied", () -> revoked(C));
        assertThat(revoked(B)).isFalse();
        assertThat(state.deltaCount()).isZero();
    }

    @Test
    void aDeltaWhoseBaseIsNotHeldLeavesItToTheCompleteCrl() throws Exception {
        events.add(delta(9, 8, ca.delta(9, 8, B)));
        served = ca.complete(9, A, B);
        events.add(complete(9));
        await("the complete CRL is fetched", () -> revoked(B));
        assertThat(state.deltaCount()).isZero();
        assertThat(state.rejectedCount()).isZero();
    }

    @Test
    void anAnnouncementNamingACrlNotHeldIsFetchedThoughItsOwnNumberIsInForce() throws Exception {
        // After a key rollover each CA generation signs its own CRL; a revocation of an earlier generation's
        // certificate changes that CRL (here number 4, never held), while the current generation's delta 6 is
        // applied at once. The announcement of complete CRL 6 names both: 6 is in force, 4 is not: fetch.
        events.add(delta(6, 5, ca.delta(6, 5, B)));
        await("the delta is applied", () -> revoked(B));
        int fetchesBefore = completeFetches.get();
        served = ca.complete(6, A, B, C);
        events.add(complete(6, "4,6"));
        await("the announcement naming CRL 4 is fetched", () -> completeFetches.get() > fetchesBefore);
        await("what was fetched is in force", () -> revoked(C));
        // Every number named in force: nothing is fetched (a marker delta after it shows it was handled).
        int fetchesAfter = completeFetches.get();
        events.add(complete(6, "6"));
        events.add(delta(7, 5, ca.delta(7, 5, B, C, A)));
        await("the marker delta is applied", () -> state.holds(BigInteger.valueOf(7)));
        assertThat(completeFetches.get()).isEqualTo(fetchesAfter);
    }
}
