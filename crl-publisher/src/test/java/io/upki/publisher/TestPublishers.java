package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Publisher settings for tests in front of a {@link TestCa}: renew a minute before expiry, debounce 20 ms,
 * at most 200 ms behind, 60 s max age; and the wait for the first CRL.
 */
public final class TestPublishers {
    private TestPublishers() {
    }

    /** Reading {@code ca}'s endpoints, writing to {@code out}, on loopback {@code port} (0: any). */
    public static PublisherConfig config(TestCa ca, Path out, int port, Duration caTimeout) {
        return new PublisherConfig(ca.opsEndpoint(), ca.eventsEndpoint(), null, out, "127.0.0.1", port,
                Duration.ofMinutes(1), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60), caTimeout);
    }

    /**
     * As {@link #config}, writing to {@code dir}/out, with the OCSP responder ({@code --ocsp}) keeping its
     * signer in {@code dir}/signer, responses valid 10 minutes.
     */
    public static PublisherConfig withOcsp(TestCa ca, Path dir, int port, Duration caTimeout) {
        PublisherConfig c = config(ca, dir.resolve("out"), port, caTimeout);
        return new PublisherConfig(c.caEndpoint(), c.eventsEndpoint(), c.caCert(), c.outDir(), c.host(), c.port(),
                c.margin(), c.debounce(), c.maxDelay(), c.maxAge(), c.caTimeout(),
                new PublisherConfig.Ocsp(dir.resolve("signer"), "upki-ocsp-responder", Duration.ofMinutes(10)));
    }

    /** Waits (10 s at most) until {@code publisher} has published its first CRL. */
    public static void awaitFirstCrl(Publisher publisher) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (publisher.publication().current() == null) {
            assertThat(System.nanoTime()).as("first CRL published").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
