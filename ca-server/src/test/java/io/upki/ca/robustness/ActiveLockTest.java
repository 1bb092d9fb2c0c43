package io.upki.ca.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.upki.ca.standby.ActiveStandby;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.testkit.postgres.TestPostgres;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active lock of a CA pair on one real PostgreSQL store, through real processes: an active CA whose
 * lock session the server ends ({@code pg_terminate_backend}, as a database failover or an administrator
 * would) stops with exit 75 before the standby signs anything, and nothing it acknowledged is lost; a
 * standby under CURVE knows the client keys the active CA enrolled after the standby started.
 */
class ActiveLockTest {
    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<CaProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (CaProcess p : processes) {
            p.destroyIfRunning();
        }
    }

    @Test
    @Timeout(300)
    void aCaWhoseLockSessionIsEndedExits75BeforeTheStandbySignsAndLosesNothing() throws Exception {
        CaPair pair = CaPair.create(tmp, "lock_loss", false, processes);
        CaProcess a = pair.a;
        CaProcess b = pair.b;
        a.start(READY, pair.env, pair.store());
        b.startStandby(READY, pair.env, pair.store());

        Map<BigInteger, Long> ackedByA = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        try (ZmqCaClient onlyA = new ZmqCaClient(a.endpoint(), t -> Duration.ofSeconds(5), 0, new WireCodec());
             ZmqCaClient onlyB = new ZmqCaClient(b.endpoint(), t -> Duration.ofSeconds(10), 0, new WireCodec())) {
            Thread loop = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    try {
                        JsonNode answer = onlyA.call(CaTask.SIGN, JsonNodeFactory.instance.objectNode()
                                .put("csr", TestKeys.csr("CN=l" + (i++) + ".lock.example.com")).put("profile", "server"));
                        ackedByA.put(answer.path("serial").bigIntegerValue(), System.nanoTime());
                    } catch (CaClientException e) {
                        if (e.kind() != CaClientException.Kind.UNAVAILABLE) {
                            unexpected.add(e.getMessage());
                        }
                    }
                }
            }, "sign-on-a");
            loop.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (ackedByA.size() < 5) {
                    assertThat(System.nanoTime()).as("A signs").isLessThan(deadline);
                    Thread.sleep(20);
                }
                // The session holding the lock (the standby's own lock session, trying it, holds nothing).
                String ended = TestPostgres.shared().psql("SELECT count(pg_terminate_backend(a.pid)) FROM pg_stat_activity a "
                        + "JOIN pg_locks l ON l.pid = a.pid WHERE l.locktype = 'advisory' AND l.granted "
                        + "AND a.application_name = 'upki-ca-active-lock' AND a.datname = '" + pair.db.name() + "'");
                long endedAt = System.nanoTime();
                java.time.Instant endedWall = java.time.Instant.now();
                assertThat(ended.strip()).isEqualTo("1");

                int exit = a.awaitExit(Duration.ofSeconds(30));
                long exitedAt = System.nanoTime();
                assertThat(exit).as("A's exit status:\n" + a.logTail()).isEqualTo(ActiveStandby.LOST_LOCK_EXIT);
                assertThat(a.logTail()).contains("lost the active lock");
                // When A noticed (its log's clock), apart from the time its JVM took to be gone.
                String lost = a.logTail().lines().filter(l -> l.contains("active lock lost")).findFirst().orElse("");
                long noticedMs = lost.length() > 24 ? java.time.Duration.between(endedWall,
                        java.time.Instant.parse(lost.substring(0, 24))).toMillis() : -1;

                // B takes the lock and signs; its first sign comes after A's last acknowledgement.
                JsonNode first = null;
                while (first == null) {
                    assertThat(System.nanoTime() - exitedAt).as("B took over:\n" + b.logTail())
                            .isLessThan(Duration.ofSeconds(60).toNanos());
                    try {
                        first = onlyB.call(CaTask.SIGN, JsonNodeFactory.instance.objectNode()
                                .put("csr", TestKeys.csr("CN=b.lock.example.com")).put("profile", "server"));
                    } catch (CaClientException e) {
                        assertThat(e.kind() == CaClientException.Kind.UNAVAILABLE || e.code() == CaErrorCode.STANDBY)
                                .as(e.getMessage()).isTrue();
                        Thread.sleep(50);
                    }
                }
                long firstOnB = System.nanoTime();
                running.set(false);
                loop.join(30_000);
                long lastOnA = ackedByA.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                long afterLoss = ackedByA.values().stream().filter(t -> t > endedAt).count();
                System.out.printf("[active-lock] A logged the loss %d ms and exited 75 %d ms after pg_terminate_backend "
                        + "returned (%s); %d signs acknowledged by A in that time; B's first sign %d ms after the loss "
                        + "(%d ms after A's last acknowledgement)%n", noticedMs,
                        (exitedAt - endedAt) / 1_000_000, lost, afterLoss, (firstOnB - endedAt) / 1_000_000,
                        (firstOnB - lastOnA) / 1_000_000);
                assertThat(lastOnA).as("no sign acknowledged by A once B signs").isLessThan(firstOnB);
                assertThat(unexpected).isEmpty();
                // Everything A acknowledged is in the store B now serves.
                for (BigInteger serial : ackedByA.keySet()) {
                    JsonNode view = onlyB.call(CaTask.VIEW, JsonNodeFactory.instance.objectNode().put("serial", serial));
                    assertThat(view.path("serial").asText()).as("serial %s", serial).isNotEmpty();
                }
                assertThat(ackedByA).doesNotContainKey(first.path("serial").bigIntegerValue());
            } finally {
                running.set(false);
                loop.join(30_000);
            }
        }
        // What a supervisor does with exit 75: start it again, and it waits as the standby of B.
        CaProcess again = CaProcess.onPortOf(a, tmp.resolve("a-again.log"));
        processes.add(again);
        again.startStandby(READY, pair.env, pair.store());
    }

    @Test
    @Timeout(300)
    void aCurveStandbyKnowsTheKeysTheActiveCaEnrolledAfterItStarted() throws Exception {
        CaPair pair = CaPair.create(tmp, "standby_keys", true, processes);
        int opsA = TestCa.freePortBlock();
        int opsB = TestCa.freePortBlock();
        CaProcess a = pair.a;
        CaProcess b = pair.b;
        a.launchOnly(pair.env, List.of("--store", pair.db.storeUrl(), "--client-auth", "curve",
                "--ops-listen", "127.0.0.1:" + opsA));
        awaitLog(a, "upki ca-server ready");
        b.launchOnly(pair.env, List.of("--store", pair.db.storeUrl(), "--client-auth", "curve",
                "--ops-listen", "127.0.0.1:" + opsB));
        awaitStandby(opsB, b);

        CurveKeys operatorKeys = CurveKeys.generate();
        CurveKeys late = CurveKeys.generate();
        try (ZmqCaClient registration = curve(a.registrationEndpoint(), operatorKeys, pair.curveKey, Duration.ofSeconds(30));
             ZmqCaClient operator = curve(a.endpoint(), operatorKeys, pair.curveKey, Duration.ofSeconds(30));
             ZmqCaClient lateOnB = curve(b.endpoint(), late, pair.curveKey, Duration.ofMillis(700));
             ZmqCaClient strangerOnB = curve(b.endpoint(), CurveKeys.generate(), pair.curveKey, Duration.ofMillis(700))) {
            registration.call(CaTask.ENROL, CaClient.params().put("seed", TestCa.SEED).put("name", "operator"));
            // Enrolled on the active CA after the standby started.
            operator.call(CaTask.ADD_CLIENT, CaClient.params().put("public_key", late.publicKey())
                    .put("role", "ra").put("name", "late ra"));

            assertThat(awaitStandbyAnswer(lateOnB)).as("the standby answers the late key (STANDBY)\n" + b.logTail())
                    .isEqualTo(CaErrorCode.STANDBY);
            // A key nobody enrolled still gets no answer at all (refused at the CURVE handshake).
            CaClientException stranger = refusal(() -> strangerOnB.call(CaTask.GET_CA, null));
            assertThat(stranger.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE);

            // A removal on the active CA reaches the standby too: a new connection with that key is refused.
            operator.call(CaTask.REMOVE_CLIENT, CaClient.params().put("public_key", late.publicKey()));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            CaClientException after;
            do {
                Thread.sleep(200);
                try (ZmqCaClient again = curve(b.endpoint(), late, pair.curveKey, Duration.ofMillis(700))) {
                    after = refusal(() -> again.call(CaTask.GET_CA, null));
                }
            } while (after.code() == CaErrorCode.STANDBY && System.nanoTime() < deadline);
            assertThat(after.kind()).as("the removed key is refused by the standby").isEqualTo(CaClientException.Kind.UNAVAILABLE);
        }
    }

    private static CaErrorCode awaitStandbyAnswer(ZmqCaClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            CaClientException e = refusal(() -> client.call(CaTask.GET_CA, null));
            if (e.code() != null) {
                return e.code();
            }
            Thread.sleep(200);
        }
        return null;
    }

    private static ZmqCaClient curve(String endpoint, CurveKeys keys, String caKey, Duration timeout) {
        return new ZmqCaClient(endpoint, t -> timeout, 0, new WireCodec(), keys, caKey);
    }

    private static CaClientException refusal(Runnable call) {
        try {
            call.run();
        } catch (CaClientException e) {
            return e;
        }
        throw new AssertionError("the standby ran a task");
    }

    private static void awaitLog(CaProcess process, String line) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (!process.logTail().contains(line)) {
            assertThat(process.alive()).as(process.logTail()).isTrue();
            assertThat(System.nanoTime()).as("'%s' in the log:\n%s", line, process.logTail()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Waits for {@code /ready} to say standby (503). */
    private static void awaitStandby(int opsPort, CaProcess process) throws Exception {
        long deadline = System.nanoTime() + READY.toNanos();
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            assertThat(process.alive()).as(process.logTail()).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 503 && r.body().contains("standby")) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/ready on " + opsPort + " did not say standby:\n" + process.logTail());
    }
}
