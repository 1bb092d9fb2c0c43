package io.upki.pki.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.WireCodec;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CA-backed signer lookup when the CA does not answer (a real ZeroMQ client, nothing listening): the
 * request is refused as unavailable, never accepted, the failure is not remembered, and lookups of
 * different names at once are bounded. (Lookups against a real CA: ra-core's RaEdgeSignerLookupTest.)
 */
class CaSignerCertificatesTest {
    private static final String THUMBPRINT = "A".repeat(43);

    private static ZmqCaClient silentCa(Duration timeout) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new ZmqCaClient("tcp://127.0.0.1:" + port, t -> timeout, 0, new WireCodec());
    }

    @Test
    void aCaThatDoesNotAnswerIsUnavailableEveryTimeNotRememberedAsUnknown() throws Exception {
        try (ZmqCaClient ca = silentCa(Duration.ofMillis(300))) {
            CaSignerCertificates signers = new CaSignerCertificates(ca, Clock.systemUTC());
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> signers.find("4d2", THUMBPRINT))
                        .isInstanceOf(SignerCertificates.SignerUnavailableException.class)
                        .hasMessageContaining("cannot look up signer 4d2");
                // Asked the CA again each time (it waited for the timeout), rather than answering from memory.
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            }
        }
    }

    @Test
    void lookupsOfDifferentNamesAtOnceAreBounded() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CaSignerCertificates.MAX_LOOKUPS + 1);
        try (ZmqCaClient ca = silentCa(Duration.ofSeconds(4))) {
            CaSignerCertificates signers = new CaSignerCertificates(ca, Clock.systemUTC());
            List<Future<?>> blocked = new ArrayList<>();
            for (int i = 0; i < CaSignerCertificates.MAX_LOOKUPS; i++) {
                String kid = Integer.toHexString(0x100 + i);
                blocked.add(pool.submit(() -> signers.find(kid, THUMBPRINT)));
            }
            Thread.sleep(1500);
            // A further name is refused at once, as unavailable: made-up names cannot queue up at the CA.
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> signers.find("999", THUMBPRINT))
                    .isInstanceOf(SignerCertificates.SignerUnavailableException.class).hasMessageContaining("too many");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            // A name already being looked up waits for that lookup instead of starting another.
            Future<?> joined = pool.submit(() -> signers.find("100", THUMBPRINT));
            for (Future<?> f : blocked) {
                assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SignerCertificates.SignerUnavailableException.class);
            }
            assertThatThrownBy(() -> joined.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SignerCertificates.SignerUnavailableException.class);
            // Once they are over, a new name is looked up again (and, the CA still silent, unavailable).
            assertThatThrownBy(() -> signers.find("999", THUMBPRINT)).hasMessageContaining("cannot look up signer 999");
        } finally {
            pool.shutdownNow();
        }
    }
}
