package io.upki.ca.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real CA process with SIGKILL in the middle of a burst of concurrent {@code sign},
 * {@code revoke} and {@code generate_crl} calls, restarts it on the same data directory, and checks
 * that everything the CA acknowledged is still there: a reply is a promise that the work is durable.
 */
class CrashSafetyTest {
    private static final int CYCLES = 3;
    private static final int WORKERS = 4;
    private static final Duration BURST = Duration.ofMillis(1500);
    private static final Duration MAX_BURST = Duration.ofSeconds(10);
    /** Bounded client timeouts: a request in flight at the kill times out and is simply not counted. */
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(2500);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(40);
    private static final String REASON = "keyCompromise";

    @TempDir
    Path tmp;

    private CaProcess ca;

    /** What the CA acknowledged, across all cycles. */
    private final Map<BigInteger, String> issued = new ConcurrentHashMap<>();
    private final List<BigInteger> issuedInOrder = Collections.synchronizedList(new ArrayList<>());
    private final Set<BigInteger> revokeAttempted = ConcurrentHashMap.newKeySet();
    private final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<BigInteger> revocable = new ConcurrentLinkedQueue<>();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<BigInteger> maxCrlNumber = new AtomicReference<>(BigInteger.ZERO);

    @AfterEach
    void stopCa() throws InterruptedException {
        if (ca != null) {
            ca.destroyIfRunning();
        }
    }

    /**
     * Both key types: an RSA CA makes each certificate durable while it signs (SigningStore), an EC CA
     * after; either way a kill must lose nothing that was acknowledged.
     */
    @ParameterizedTest(name = "{0} CA")
    @ValueSource(strings = {"ec", "rsa"})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void acknowledgedWorkSurvivesSigkill(String keyType) throws Exception {
        Path data = tmp.resolve("ca");
        Files.createDirectories(data);
        TestCa.initialize(data, keyType);
        ca = CaProcess.on(data, tmp.resolve("ca.log"));
        String caPem = ca.start(READY_TIMEOUT);
        X509Certificate caCert = Pem.parseCertificate(caPem);

        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            long pid = ca.pid();
            Burst burst = burst(cycle);
            assertThat(burst.exitValue()).as("cycle %d: the CA process (pid %d) was killed by SIGKILL", cycle, pid)
                    .isEqualTo(128 + 9);
            assertThat(unexpected).as("cycle %d: CA refusals of valid requests", cycle).isEmpty();
            assertThat(burst.signed().get()).as("cycle %d: certificates acknowledged before the kill", cycle)
                    .isPositive();
            assertThat(burst.crls().get()).as("cycle %d: CRLs acknowledged before the kill", cycle).isPositive();
            System.out.printf("[crash-safety] cycle %d: pid %d killed after %d ms; acknowledged %d sign, %d revoke, "
                            + "%d generate_crl; %d requests unanswered at the kill%n", cycle, pid, burst.millis(),
                    burst.signed().get(), burst.revokes().get(), burst.crls().get(), burst.unanswered().get());

            long restart = System.nanoTime();
            String pemAfter = ca.start(READY_TIMEOUT);
            System.out.printf("[crash-safety] cycle %d: restarted in %d ms (pid %d)%n", cycle,
                    (System.nanoTime() - restart) / 1_000_000, ca.pid());
            assertThat(pemAfter).as("CA certificate after restart").isEqualTo(caPem);
            verifyAcknowledgedState(cycle, caCert);
        }
    }

    private record Burst(int exitValue, long millis, AtomicInteger signed, AtomicInteger revokes, AtomicInteger crls,
                         AtomicInteger unanswered) {
    }

    /** Runs the workers and the CRL thread, kills the CA mid-burst, and waits for every thread to stop. */
    private Burst burst(int cycle) throws InterruptedException {
        AtomicInteger signed = new AtomicInteger();
        AtomicInteger revokes = new AtomicInteger();
        AtomicInteger crls = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> crashes = Collections.synchronizedList(new ArrayList<>());
        int exitValue;
        long burstMillis;
        // The stop flag is raised just after the kill, so requests are still in flight when it lands.
        AtomicBoolean stop = new AtomicBoolean();
        try (ZmqCaClient client = new ZmqCaClient(ca.endpoint(), t -> CALL_TIMEOUT, 0, new WireCodec())) {
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                threads.add(new Thread(() -> {
                    await(go);
                    int i = 0;
                    while (!stop.get()) {
                        i++;
                        BigInteger target = i % 3 == 0 ? revocable.poll() : null;
                        if (target != null) {
                            revoke(client, target, revokes, unanswered);
                        } else {
                            sign(client, "c" + cycle + "-w" + worker + "-" + i + ".crash.example.com", signed,
                                    unanswered);
                        }
                    }
                }, "crash-worker-" + w));
            }
            threads.add(new Thread(() -> {
                await(go);
                BigInteger last = maxCrlNumber.get();
                while (!stop.get()) {
                    BigInteger number = generateCrl(client, unanswered);
                    if (number != null) {
                        crls.incrementAndGet();
                        if (number.compareTo(last) <= 0) {
                            unexpected.add("CRL number " + number + " after " + last);
                        }
                        last = number;
                        maxCrlNumber.accumulateAndGet(number, BigInteger::max);
                    }
                    sleep(100);
                }
            }, "crash-crl"));
            for (Thread t : threads) {
                t.setUncaughtExceptionHandler((th, e) -> crashes.add(e));
                t.start();
            }
            go.countDown();
            // At least BURST, and until the burst has done some of everything (a loaded machine is slow).
            long started = System.nanoTime();
            Thread.sleep(BURST.toMillis());
            while ((signed.get() < 10 || revokes.get() < 2 || crls.get() < 1)
                    && System.nanoTime() - started < MAX_BURST.toNanos()) {
                Thread.sleep(50);
            }
            burstMillis = (System.nanoTime() - started) / 1_000_000;
            try {
                exitValue = ca.kill();
            } finally {
                stop.set(true);
            }
            for (Thread t : threads) {
                t.join(CALL_TIMEOUT.multipliedBy(3).toMillis());
                assertThat(t.isAlive()).as("%s stopped after the kill (bounded client timeouts)", t.getName())
                        .isFalse();
            }
        }
        assertThat(crashes).as("worker threads failed").isEmpty();
        return new Burst(exitValue, burstMillis, signed, revokes, crls, unanswered);
    }

    private void sign(ZmqCaClient client, String cn, AtomicInteger signed, AtomicInteger unanswered) {
        ObjectNode params = JsonNodeFactory.instance.objectNode()
                .put("csr", TestKeys.csr("CN=" + cn))
                .put("profile", ThreadLocalRandom.current().nextBoolean() ? "server" : "user");
        JsonNode answer = call(client, CaTask.SIGN, params, unanswered);
        if (answer == null) {
            return;
        }
        BigInteger serial = answer.path("serial").bigIntegerValue();
        String pem = answer.path("certificate").asText();
        X509Certificate cert = Pem.parseCertificate(pem);
        if (!cert.getSerialNumber().equals(serial)) {
            unexpected.add("sign answered serial " + serial + " for a certificate with serial "
                    + cert.getSerialNumber());
        }
        issuedInOrder.add(serial);
        if (issued.putIfAbsent(serial, CertificateFacts.sha256Fingerprint(cert)) != null) {
            unexpected.add("serial " + serial + " acknowledged twice");
        }
        revocable.add(serial);
        signed.incrementAndGet();
    }

    private void revoke(ZmqCaClient client, BigInteger serial, AtomicInteger revokes, AtomicInteger unanswered) {
        revokeAttempted.add(serial);
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("serial", serial).put("reason", REASON);
        JsonNode answer = call(client, CaTask.REVOKE, params, unanswered);
        if (answer == null) {
            return; // unknown outcome: neither counted as revoked nor as certainly valid
        }
        if (!answer.isBoolean() || !answer.booleanValue()) {
            unexpected.add("revoke of " + serial + " answered " + answer);
            return;
        }
        revoked.add(serial);
        revokes.incrementAndGet();
    }

    private BigInteger generateCrl(ZmqCaClient client, AtomicInteger unanswered) {
        JsonNode answer = call(client, CaTask.GENERATE_CRL, null, unanswered);
        return answer == null ? null : crlNumber(parseCrl(answer.asText()));
    }

    /** The answer, or null when the CA did not answer in time (killed); refusals are recorded as failures. */
    private JsonNode call(ZmqCaClient client, CaTask task, ObjectNode params, AtomicInteger unanswered) {
        try {
            return client.call(task, params);
        } catch (CaClientException e) {
            if (e.kind() == CaClientException.Kind.UNAVAILABLE) {
                unanswered.incrementAndGet();
            } else {
                unexpected.add(task.wireName() + " refused: " + e.getMessage());
            }
            return null;
        }
    }

    /** After a restart: every acknowledged issuance and revocation is there, serials are unique, CRLs go on. */
    private void verifyAcknowledgedState(int cycle, X509Certificate caCert) throws Exception {
        try (ZmqCaClient client = new ZmqCaClient(ca.endpoint(), t -> Duration.ofSeconds(30), 0, new WireCodec())) {
            assertThat(issuedInOrder).as("acknowledged serials are unique").doesNotHaveDuplicates();

            for (Map.Entry<BigInteger, String> e : issued.entrySet()) {
                BigInteger serial = e.getKey();
                JsonNode view;
                try {
                    view = client.call(CaTask.VIEW, JsonNodeFactory.instance.objectNode().put("serial", serial));
                } catch (CaClientException ex) {
                    throw new AssertionError("cycle " + cycle + ": acknowledged certificate " + serial
                            + " is lost after SIGKILL: " + ex.getMessage(), ex);
                }
                assertThat(view.path("serial_number").bigIntegerValue()).as("view serial_number").isEqualTo(serial);
                assertThat(view.path("fingerprint").asText())
                        .as("stored certificate %s is the one acknowledged", serial)
                        .isEqualTo(e.getValue());
                boolean isRevoked = view.path("is_revoked").booleanValue();
                if (revoked.contains(serial)) {
                    assertThat(isRevoked).as("cycle %d: acknowledged revocation of %s survives SIGKILL", cycle, serial)
                            .isTrue();
                    assertThat(view.path("revoke_reason").asText()).isEqualTo(REASON);
                } else if (!revokeAttempted.contains(serial)) {
                    assertThat(isRevoked).as("certificate %s was never revoked", serial).isFalse();
                }
            }

            JsonNode nodes = client.call(CaTask.LIST_NODES, null);
            List<BigInteger> nodeSerials = new ArrayList<>();
            nodes.forEach(n -> nodeSerials.add(n.path("serial").bigIntegerValue()));
            assertThat(nodeSerials).as("list_nodes serials").doesNotContainNull().doesNotHaveDuplicates();
            assertThat(new HashSet<>(nodeSerials)).as("list_nodes has every acknowledged certificate")
                    .containsAll(issued.keySet());

            X509CRLHolder crl = parseCrl(client.call(CaTask.GENERATE_CRL, null).asText());
            assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(caCert)))
                    .as("CRL signed by the CA").isTrue();
            BigInteger number = crlNumber(crl);
            assertThat(number).as("cycle %d: CRL number after restart is above every number acknowledged before", cycle)
                    .isGreaterThan(maxCrlNumber.get());
            maxCrlNumber.set(number);

            Map<BigInteger, Integer> entries = new HashMap<>();
            for (Object o : crl.getRevokedCertificates()) {
                X509CRLEntryHolder entry = (X509CRLEntryHolder) o;
                Extension reason = entry.getExtensions() == null ? null
                        : entry.getExtensions().getExtension(Extension.reasonCode);
                int code = reason == null ? 0 : CRLReason.getInstance(reason.getParsedValue()).getValue().intValue();
                assertThat(entries.put(entry.getSerialNumber(), code)).as("one CRL entry per serial").isNull();
            }
            assertThat(entries.keySet()).as("cycle %d: the CRL lists every acknowledged revocation", cycle)
                    .containsAll(revoked);
            for (BigInteger serial : revoked) {
                assertThat(entries.get(serial)).as("reasonCode of %s", serial).isEqualTo(CRLReason.keyCompromise);
            }
            Set<BigInteger> neverRevoked = new HashSet<>(issued.keySet());
            neverRevoked.removeAll(revokeAttempted);
            assertThat(entries.keySet()).as("the CRL lists no certificate that was never revoked")
                    .doesNotContainAnyElementsOf(neverRevoked);
            assertThat(new HashSet<>(nodeSerials)).as("every CRL entry is a certificate of this CA")
                    .containsAll(entries.keySet());
            System.out.printf("[crash-safety] cycle %d: verified %d certificates, %d revocations, %d nodes, CRL #%s%n",
                    cycle, issued.size(), revoked.size(), nodeSerials.size(), number);
        }
    }

    private static X509CRLHolder parseCrl(String base64) {
        try {
            return new X509CRLHolder(Base64.getDecoder().decode(base64));
        } catch (Exception e) {
            throw new AssertionError("CRL is not base64 DER: " + e.getMessage(), e);
        }
    }

    private static BigInteger crlNumber(X509CRLHolder crl) {
        Extension ext = crl.getExtension(Extension.cRLNumber);
        assertThat(ext).as("CRL Number extension").isNotNull();
        return CRLNumber.getInstance(ext.getParsedValue()).getCRLNumber();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
