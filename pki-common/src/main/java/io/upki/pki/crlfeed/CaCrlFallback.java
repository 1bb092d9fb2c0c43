package io.upki.pki.crlfeed;

import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CaEventSubscriber;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.CaEvent;
import io.upki.pki.wire.WireCodec;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes CRLs from the CA itself while no crl-publisher answers: once the {@link PublisherWatch} has heard
 * none for {@code after}, fetches {@code get_crl} and follows the CA's event feed, fetching again on each
 * CRL the feed announces (a {@code crl} event, or the once-a-second {@code state} naming a newer number);
 * as soon as a publisher answers again the feed is dropped. Every CRL goes through {@link CrlState}, so
 * its signature and number are checked as for any other source: the CA's transport is not trusted either.
 */
public final class CaCrlFallback implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaCrlFallback.class);
    /** How often the watch is consulted: well under the one second a revocation may take. */
    private static final Duration CHECK_EVERY = Duration.ofMillis(200);
    static final String SOURCE = "CA get_crl (fallback)";

    private final CertificateAuthorityClient ca;
    private final String eventsEndpoint;
    private final CaCurve curve;
    private final PublisherWatch watch;
    private final Duration after;
    private final CrlState state;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("crl-ca-fallback"));
    // Everything below is touched on the scheduler thread only.
    private CaEventSubscriber subscriber;
    private volatile boolean active;
    private boolean fetchDue;
    /** The highest CRL number fetched from the CA while active, or null. */
    private BigInteger fetched;

    /**
     * @param eventsEndpoint the CA's event feed ({@code tcp://ca:5002})
     * @param after how long no publisher may answer before the CA is asked
     */
    public CaCrlFallback(CertificateAuthorityClient ca, String eventsEndpoint, CaCurve curve, PublisherWatch watch,
                         Duration after, CrlState state) {
        this.ca = ca;
        this.eventsEndpoint = eventsEndpoint;
        this.curve = curve;
        this.watch = watch;
        this.after = after;
        this.state = state;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::check, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True while CRLs come from the CA. */
    public boolean active() {
        return active;
    }

    private void check() {
        try {
            boolean silent = watch.channels().isEmpty() || watch.silentFor().compareTo(after) >= 0;
            if (silent && !active) {
                activate();
            } else if (!silent && active) {
                deactivate();
            }
            if (active && fetchDue) {
                fetch(null);
            }
        } catch (RuntimeException e) {
            LOG.error("CRL fallback check failed", e);
        }
    }

    private void activate() {
        LOG.warn("no crl-publisher answered for {} ms ({} configured): taking CRLs from the CA ({})",
                after.toMillis(), watch.channels().size(), eventsEndpoint);
        fetched = null;
        fetch(null); // whatever was revoked while the publishers were going
        active = true;
        subscriber = new CaEventSubscriber(eventsEndpoint, curve, new WireCodec(), this::announced);
        subscriber.start("crl-ca-events");
    }

    private void deactivate() {
        LOG.info("a crl-publisher answers again ({}): CA fallback off", watch.answering());
        active = false;
        fetchDue = false;
        subscriber.close();
        subscriber = null;
    }

    /** On the subscriber's thread: a CRL newer than the last fetched is fetched on the scheduler. */
    private void announced(CaEvent event) {
        boolean names = CaEvent.CRL.equals(event.event()) || CaEvent.STATE.equals(event.event());
        if (!names || event.number() == null) {
            return; // a revocation alone: no CRL lists it until one is generated
        }
        try {
            scheduler.execute(() -> {
                if (active && (fetched == null || event.number().compareTo(fetched) > 0)) {
                    fetch(event.number());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("closing: CA event ignored");
        }
    }

    private void fetch(BigInteger announced) {
        try {
            state.offer(ca.currentCrl().der(), SOURCE);
            if (fetchDue) {
                LOG.info("CRL fallback: get_crl answers again");
            }
            fetchDue = false;
            if (announced != null && (fetched == null || announced.compareTo(fetched) > 0)) {
                fetched = announced;
            }
        } catch (CaClientException e) {
            if (!fetchDue) {
                LOG.warn("CRL fallback: get_crl failed ({}); trying every {} ms", e.getMessage(), CHECK_EVERY.toMillis());
            }
            fetchDue = true; // tried again on the next check
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        DaemonThreads.drain(scheduler, Duration.ofSeconds(2));
        CaEventSubscriber s = subscriber;
        if (s != null) {
            s.close();
        }
    }
}
