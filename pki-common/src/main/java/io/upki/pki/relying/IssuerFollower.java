package io.upki.pki.relying;

import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.x509.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the CA's issuing certificates ({@code get_ca_chain}) so that a relying party trusts a new
 * generation after a key rollover (docs/KEYS.md) without a restart: polled every {@code every}, and at
 * once (at most once a second) when {@link #nudge()}d, e.g. by a CRL from an issuer not trusted yet.
 * What it learns adds no trust of its own: every certificate must still chain to a configured anchor.
 */
final class IssuerFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerFollower.class);

    private final CertificateAuthorityClient ca;
    private final Duration every;
    private final Consumer<List<X509Certificate>> learned;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("issuer-follower"));
    private long lastNudge;

    IssuerFollower(CertificateAuthorityClient ca, Duration every, Consumer<List<X509Certificate>> learned) {
        this.ca = ca;
        this.every = every;
        this.learned = learned;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the CA now, unless it was asked less than a second ago or a question is already queued. */
    void nudge() {
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastNudge < TimeUnit.SECONDS.toNanos(1) || !queued.compareAndSet(false, true)) {
                return;
            }
            lastNudge = now;
        }
        try {
            timer.execute(() -> {
                queued.set(false);
                poll();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            queued.set(false); // closing
        }
    }

    private void poll() {
        try {
            learned.accept(Pem.parseCertificates(ca.caChain()));
        } catch (RuntimeException e) {
            LOG.debug("cannot read the CA's chain: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
