package io.upki.ca.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real ca-server processes on one real PostgreSQL store: the first holds the active lock, the
 * second answers STANDBY. A client with both endpoints signs in a loop while the active CA is killed
 * with SIGKILL; the standby takes over, nothing acknowledged is lost and no serial repeats. The killed
 * CA comes back as the new standby; {@code -Dupki.failover.kills=N} repeats the kill (bench/failover.sh
 * records the times; nothing here asserts a duration).
 */
class StandbyFailoverTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration SIGN_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final List<CaProcess> processes = new ArrayList<>();
    private final Map<BigInteger, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws InterruptedException {
        for (CaProcess p : processes) {
            p.destroyIfRunning();
        }
    }

    @Test
    @Timeout(600)
    void theStandbyTakesOverAfterAKillWithNothingLostAndNoSerialRepeated() throws Exception {
        int kills = Integer.getInteger("upki.failover.kills", 1);
        CaPair pair = CaPair.create(tmp, "standby", false, processes);
        int opsA = TestCa.freePortBlock();
        int opsB = TestCa.freePortBlock();
        CaProcess active = pair.a;
        CaProcess standby = pair.b;
        List<String> optionsA = List.of("--store", pair.db.storeUrl(), "--ops-listen", "127.0.0.1:" + opsA);
        List<String> optionsB = List.of("--store", pair.db.storeUrl(), "--ops-listen", "127.0.0.1:" + opsB);
        active.start(READY, pair.env, optionsA);
        standby.startStandby(READY, pair.env, optionsB);
        assertThat(get(opsB, "/ready")).startsWith("503").contains("standby");
        assertThat(get(opsB, "/health")).startsWith("200");

        List<Long> takeovers = new ArrayList<>();
        try (ZmqCaClient client = new ZmqCaClient(active.endpoint() + "," + standby.endpoint(), t -> SIGN_TIMEOUT, 0,
                new WireCodec())) {
            BigInteger firstCrl = new BigInteger(1, crlNumber(client));
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong lastSuccess = new AtomicLong();
            AtomicInteger unanswered = new AtomicInteger();
            Thread loop = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    if (sign(client, "f" + (i++) + ".failover.example.com", unanswered)) {
                        lastSuccess.set(System.nanoTime());
                    }
                }
            }, "sign-loop");
            loop.start();
            try {
                for (int k = 0; k < kills; k++) {
                    awaitAcknowledged(acknowledged.size() + 10);
                    long killedAt = System.nanoTime();
                    active.kill();
                    long dead = System.nanoTime();
                    while (lastSuccess.get() < dead) {
                        assertThat(System.nanoTime() - dead).as("a sign succeeded on the standby within 60 s:\n"
                                + standby.logTail()).isLessThan(Duration.ofSeconds(60).toNanos());
                        Thread.sleep(5);
                    }
                    long millis = (lastSuccess.get() - killedAt) / 1_000_000;
                    takeovers.add(millis);
                    if (Boolean.getBoolean("upki.failover.verbose")) {
                        System.out.println(standby.logTail());
                    }
                    System.out.printf("[standby-failover] kill %d: first successful sign on the standby %d ms after "
                            + "SIGKILL (%d acknowledged so far, %d unanswered)%n", k + 1, millis, acknowledged.size(),
                            unanswered.get());
                    // The killed CA comes back, now as the standby of the one that took over.
                    CaProcess restarted = CaProcess.onPortOf(active, tmp.resolve("restart-" + k + ".log"));
                    processes.add(restarted);
                    restarted.startStandby(READY, pair.env, active.dataDir().equals(pair.dirA) ? optionsA : optionsB);
                    CaProcess next = standby;
                    standby = restarted;
                    active = next;
                }
                awaitAcknowledged(acknowledged.size() + 10);
            } finally {
                running.set(false);
                loop.join(30_000);
            }
            assertThat(unexpected).isEmpty();

            // Everything acknowledged is in the store the surviving CA serves, byte for byte.
            for (Map.Entry<BigInteger, String> e : acknowledged.entrySet()) {
                JsonNode view = client.call(CaTask.VIEW, JsonNodeFactory.instance.objectNode().put("serial", e.getKey()));
                assertThat(view.path("fingerprint").asText()).as("serial %s", e.getKey()).isEqualToIgnoringCase(e.getValue());
            }
            // CRL numbers only grow across the takeover.
            assertThat(new BigInteger(1, crlNumber(client))).isGreaterThan(firstCrl);
        }
        System.out.printf("[standby-failover] %d kills, takeover ms %s, %d certificates acknowledged, none lost%n",
                kills, takeovers, acknowledged.size());
    }

    @Test
    @Timeout(300)
    void aStandbyRefusesEveryTaskAndTakesOverWhenTheActiveStopsInOrder() throws Exception {
        CaPair pair = CaPair.create(tmp, "standby_stop", false, processes);
        CaProcess a = pair.a;
        CaProcess b = pair.b;
        a.start(READY, pair.env, pair.store());
        b.startStandby(READY, pair.env, pair.store());
        try (ZmqCaClient onlyB = new ZmqCaClient(b.endpoint(), t -> SIGN_TIMEOUT, 0, new WireCodec());
             ZmqCaClient onlyBRegistration = new ZmqCaClient(b.registrationEndpoint(), t -> SIGN_TIMEOUT, 0,
                     new WireCodec())) {
            for (CaTask task : List.of(CaTask.SIGN, CaTask.REVOKE, CaTask.GENERATE_CRL, CaTask.GET_CA)) {
                CaClientException refused = catchRefusal(() -> onlyB.call(task, JsonNodeFactory.instance.objectNode()));
                assertThat(refused.code()).as(task.wireName()).isEqualTo(CaErrorCode.STANDBY);
                assertThat(refused.getMessage()).contains("standby").contains("nothing was done");
            }
            assertThat(catchRefusal(() -> onlyBRegistration.call(CaTask.REGISTER,
                    JsonNodeFactory.instance.objectNode())).code()).isEqualTo(CaErrorCode.STANDBY);
            a.stop(); // SIGTERM: the lock is released with the session
            JsonNode ca = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ca == null && System.nanoTime() < deadline) {
                try {
                    ca = onlyB.call(CaTask.GET_CA, null);
                } catch (CaClientException e) {
                    Thread.sleep(100);
                }
            }
            assertThat(ca).as("B answers get_ca after A stopped:\n" + b.logTail()).isNotNull();
        }
    }

    private static CaClientException catchRefusal(Runnable call) {
        try {
            call.run();
        } catch (CaClientException e) {
            return e;
        }
        throw new AssertionError("the standby ran a task");
    }

    private boolean sign(ZmqCaClient client, String cn, AtomicInteger unanswered) {
        JsonNode answer;
        try {
            answer = client.call(CaTask.SIGN, JsonNodeFactory.instance.objectNode()
                    .put("csr", TestKeys.csr("CN=" + cn)).put("profile", "server"));
        } catch (CaClientException e) {
            if (e.kind() == CaClientException.Kind.UNAVAILABLE) {
                unanswered.incrementAndGet(); // in flight at the kill: outcome unknown, not acknowledged
            } else {
                unexpected.add("sign refused: " + e.getMessage());
            }
            return false;
        }
        BigInteger serial = answer.path("serial").bigIntegerValue();
        X509Certificate cert = Pem.parseCertificate(answer.path("certificate").asText());
        if (acknowledged.putIfAbsent(serial, CertificateFacts.sha256Fingerprint(cert)) != null) {
            unexpected.add("serial " + serial + " acknowledged twice");
        }
        return true;
    }

    private void awaitAcknowledged(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime()).as("%d signs acknowledged in time (%s)", count, unexpected)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The CRL Number of a freshly generated CRL (RFC 5280 section 5.2.3). */
    private static byte[] crlNumber(ZmqCaClient client) throws IOException {
        String pem = client.call(CaTask.GENERATE_CRL, null).asText();
        org.bouncycastle.cert.X509CRLHolder crl = new org.bouncycastle.cert.X509CRLHolder(
                java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "")));
        return org.bouncycastle.asn1.x509.CRLNumber.getInstance(crl.getExtension(
                org.bouncycastle.asn1.x509.Extension.cRLNumber).getParsedValue()).getCRLNumber().toByteArray();
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

}
