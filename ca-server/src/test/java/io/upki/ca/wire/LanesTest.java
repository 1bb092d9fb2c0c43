package io.upki.ca.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrency through the real sockets: slow key generation never holds up a CRL fetch; serials never repeat. */
class LanesTest {
    @TempDir
    Path dir;

    @Test
    void getCrlIsAnsweredWhileRsa4096GenerationsAreRunning() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (TestCa ca = TestCa.start(dir)) {
            ca.call(CaTask.GET_CRL, CaClient.params()); // the first CRL exists
            List<Future<?>> generates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String cn = "slow-" + i + ".example.com";
                generates.add(pool.submit(() -> ca.call(CaTask.GENERATE, CaClient.params().put("cn", cn).put("profile", "server"))));
            }
            Thread.sleep(100); // the generates are now occupying the key-generation lane
            long worst = 0;
            int answeredDuringGeneration = 0;
            while (generates.stream().anyMatch(f -> !f.isDone())) {
                long t0 = System.nanoTime();
                ca.call(CaTask.GET_CRL, CaClient.params());
                worst = Math.max(worst, System.nanoTime() - t0);
                // Counted only when answered while a generate still runs: a get_crl queued behind the
                // key-generation lane would come back after the last of them.
                if (generates.stream().anyMatch(f -> !f.isDone())) {
                    answeredDuringGeneration++;
                }
            }
            for (Future<?> f : generates) {
                f.get();
            }
            // The assertion is on ordering, not speed: get_crl answered while keys were still being generated
            // (how many times depends on how long four RSA-4096 key generations happen to take).
            assertThat(answeredDuringGeneration).isGreaterThanOrEqualTo(1);
            System.out.printf("get_crl answered %d times during 4 RSA-4096 generates, worst %d ms%n",
                    answeredDuringGeneration, worst / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentSignsNeverRepeatASerial() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (TestCa ca = TestCa.start(dir)) {
            Set<Object> serials = ConcurrentHashMap.newKeySet();
            List<Future<?>> futures = new ArrayList<>();
            String csr = io.upki.testkit.pki.TestKeys.csr("CN=same.example.com");
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    try (ZmqCaClient client = new ZmqCaClient(ca.opsEndpoint(), x -> Duration.ofSeconds(30), 0, new WireCodec())) {
                        for (int i = 0; i < 25; i++) {
                            assertThat(serials.add(client.sign(csr, "server").get("serial").bigIntegerValue())).isTrue();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            assertThat(serials).hasSize(200);
            assertThat(ca.call(CaTask.LIST_NODES, CaClient.params()).size()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
    }
}
