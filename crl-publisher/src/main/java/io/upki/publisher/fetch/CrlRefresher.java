package io.upki.publisher.fetch;

import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.DeltaCrlBytes;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.process.DaemonThreads;
import io.upki.publisher.publish.GenerationCrls;
import io.upki.publisher.publish.Publication;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when to ask the CA for a CRL. Everything runs on one scheduler thread, so requests from the
 * event feed, the HTTP endpoint and the schedule never race each other.
 *
 * <ul>
 *   <li>Revocation events: {@code generate_crl} at once when no CRL was made in the last {@code debounce}
 *       (a lone revocation waits for nothing); otherwise after {@code debounce} of quiet, at most
 *       {@code maxDelay} after the first event of the burst, so a burst makes a few CRLs, not one each.</li>
 *   <li>A CRL event (someone else called {@code generate_crl}): {@code get_crl}.</li>
 *   <li>{@code POST /refresh}: callers coalesced into at most one {@code generate_crl} a second.</li>
 *   <li>Every few seconds: a new CRL when none is published or nextUpdate is closer than {@code margin}.</li>
 *   <li>The CA down: retries with exponential backoff up to 10 s; the last good CRL keeps being served.</li>
 * </ul>
 */
public final class CrlRefresher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrlRefresher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    /** The shortest time between two on-demand generations, however many callers ask. */
    static final Duration ON_DEMAND_INTERVAL = Duration.ofSeconds(1);

    private final TypedCaClient ca;
    private final Publication publication;
    private volatile Consumer<Publication.Delta> deltaPush;
    private final Clock clock;
    private final Duration margin;
    private final Duration debounce;
    private final Duration maxDelay;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("crl-refresher"));
    private final LongAdder failures = new LongAdder();
    private final Object publishing = new Object();
    /** Fetches complete CRLs after their deltas went out, off the scheduler thread. */
    private final ExecutorService completer = Executors.newSingleThreadExecutor(DaemonThreads.named("crl-complete"));
    private final AtomicBoolean completeQueued = new AtomicBoolean();
    private volatile GenerationCrls generations;
    private ScheduledFuture<?> pending;
    private ScheduledFuture<?> retry;
    private Instant burstStart;
    /** When the last {@code generate_crl} answered: events within {@code debounce} of it are batched. */
    private Instant lastGenerated;
    private Duration backoff = Duration.ZERO;
    private Instant nextAttempt = Instant.MIN;
    /** The on-demand generation every caller joins until it starts (guarded by this). */
    private CompletableFuture<Publication.Current> queued;
    /** When the last on-demand generation started (guarded by this). */
    private Instant lastOnDemand;

    public CrlRefresher(CaClient ca, Publication publication, Clock clock, Duration margin, Duration debounce,
                        Duration maxDelay) {
        this.ca = new TypedCaClient(ca);
        this.publication = publication;
        this.clock = clock;
        this.margin = margin;
        this.debounce = debounce;
        this.maxDelay = maxDelay;
    }

    /**
     * Also keeps every issuing-key generation's CRL and follows the CA's issuing certificate
     * (docs/KEYS.md, rollover); call before {@link #start()}.
     */
    public CrlRefresher followGenerations(GenerationCrls g) {
        this.generations = g;
        return this;
    }

    /**
     * Offers {@code der} for publication, after the other generations' CRLs and the CA's issuing
     * certificate were brought up to date: a push announcing it then finds them all served.
     */
    private void publish(byte[] der) {
        // One publication at a time: the scheduler and the completer thread both publish.
        synchronized (publishing) {
            publishLocked(der);
        }
    }

    private void publishLocked(byte[] der) {
        GenerationCrls g = generations;
        if (g != null) {
            try {
                g.refresh(ca);
            } catch (CaClientException | IllegalArgumentException e) {
                LOG.warn("cannot refresh the CRLs of earlier CA generations: {}", e.getMessage());
            }
        }
        publication.offer(der);
    }

    /**
     * Pushes the delta CRL issued with each CRL this refresher makes to {@code push} before the complete
     * CRL is fetched (RFC 5280 section 5.2.4); call before {@link #start()}.
     */
    public CrlRefresher pushDeltas(Consumer<Publication.Delta> push) {
        this.deltaPush = push;
        return this;
    }

    /**
     * Has the CA sign a new CRL and publishes it. With deltas pushed, the CA answers with the small delta
     * first and it goes out to every edge at once; the complete CRL (megabytes at scale) is then fetched
     * and published, here when {@code waitForComplete}, else on its own thread, so that the next
     * revocation's delta never waits behind the previous complete CRL.
     */
    private void generateAndPublish(boolean waitForComplete) {
        Consumer<Publication.Delta> push = deltaPush;
        if (push == null) {
            publish(ca.generateCrl().der());
            return;
        }
        DeltaCrlBytes made = ca.generateDeltaCrl();
        if (made.hasDelta()) {
            publication.offerDelta(made.der(), made.base(), push);
        }
        if (waitForComplete || !made.hasDelta()) {
            publish(ca.currentCrl().der());
        } else {
            requestComplete();
        }
    }

    /**
     * Fetches and publishes the CA's complete CRL on the completer thread; requests made while one is
     * under way are coalesced into one more fetch after it, which takes the newest.
     */
    private void requestComplete() {
        if (!completeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            completer.execute(() -> {
                completeQueued.set(false);
                try {
                    publish(ca.currentCrl().der());
                } catch (CaClientException e) {
                    scheduler.execute(() -> failed("get_crl (complete CRL after a delta)", e));
                }
            });
        } catch (RejectedExecutionException e) {
            completeQueued.set(false); // closing
        }
    }

    public void start() {
        scheduler.execute(this::fetchLatestNow);
        scheduler.scheduleWithFixedDelay(this::checkSchedule, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A revocation happened: a new CRL now, or soon for the whole burst. */
    public void revocationAnnounced() {
        scheduler.execute(() -> {
            Instant now = clock.instant();
            if (pending == null && (lastGenerated == null || !now.isBefore(lastGenerated.plus(debounce)))) {
                generate("revocation");
            } else if (pending == null) {
                burstStart = now;
                pending = scheduler.schedule(this::generateFromBurst, debounce.toMillis(), TimeUnit.MILLISECONDS);
            } else if (Duration.between(burstStart, now.plus(debounce)).compareTo(maxDelay) <= 0
                    && pending.cancel(false)) {
                pending = scheduler.schedule(this::generateFromBurst, debounce.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * The CA's event feed carried a delta CRL the moment it was signed, before the complete CRL: pushed
     * at once, on the feed's thread (the check is the publication's, and pushes keep their order).
     */
    public void deltaAnnounced(BigInteger base, String base64) {
        Consumer<Publication.Delta> push = deltaPush;
        if (push == null || base == null || base64 == null) {
            return;
        }
        try {
            publication.offerDelta(Base64.getDecoder().decode(base64), base, push);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring a delta event that is not base64");
        }
    }

    /** The CA signed a CRL: fetch it unless it is already published. */
    public void crlAnnounced(BigInteger number) {
        scheduler.execute(() -> {
            Publication.Current current = publication.current();
            if (current == null || number == null || number.compareTo(current.snapshot().number()) > 0) {
                fetchLatestNow();
            }
        });
    }

    /**
     * Asks the CA for a new CRL (HTTP {@code POST /refresh}); completes with the CRL in force after.
     * Callers are coalesced, since anyone may call and each call made the CA sign: every caller joins the
     * one on-demand generation not yet started (it starts after all of them asked, so it covers whatever
     * they want listed), and one starts at most once per {@link #ON_DEMAND_INTERVAL}.
     */
    public synchronized CompletableFuture<Publication.Current> generateNow() {
        if (queued != null) {
            return queued;
        }
        queued = new CompletableFuture<>();
        long wait = lastOnDemand == null ? 0
                : Math.max(0, Duration.between(clock.instant(), lastOnDemand.plus(ON_DEMAND_INTERVAL)).toMillis());
        CompletableFuture<Publication.Current> result = queued;
        try {
            scheduler.schedule(this::generateQueued, wait, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            queued = null;
            result.completeExceptionally(e); // closing
        }
        return result;
    }

    private void generateQueued() {
        CompletableFuture<Publication.Current> result;
        synchronized (this) {
            result = queued;
            queued = null;
            lastOnDemand = clock.instant();
        }
        try {
            generateAndPublish(true); // the caller (POST /refresh) waits for the complete CRL
            lastGenerated = clock.instant();
            succeeded();
            result.complete(publication.current());
        } catch (CaClientException e) {
            failed("generate_crl", e);
            result.completeExceptionally(e);
        }
    }

    private void generateFromBurst() {
        pending = null;
        generate("revocation");
    }

    private void generate(String why) {
        try {
            generateAndPublish(false);
            lastGenerated = clock.instant();
            succeeded();
        } catch (CaClientException e) {
            failed("generate_crl (" + why + ")", e);
        }
    }

    /** The CA's current CRL; with deltas pushed, its delta first (someone else had the CA sign it). */
    private void fetchLatestNow() {
        try {
            Consumer<Publication.Delta> push = deltaPush;
            Publication.Current published = publication.current();
            if (push != null && published != null) {
                DeltaCrlBytes latest = ca.currentDeltaCrl();
                if (latest.hasDelta() && latest.number().compareTo(published.snapshot().number()) > 0) {
                    publication.offerDelta(latest.der(), latest.base(), push);
                    requestComplete();
                    succeeded();
                    return;
                }
            }
            publish(ca.currentCrl().der());
            succeeded();
        } catch (CaClientException e) {
            failed("get_crl", e);
        }
    }

    private void checkSchedule() {
        try {
            Instant now = clock.instant();
            if (now.isBefore(nextAttempt)) {
                return;
            }
            Publication.Current current = publication.current();
            if (current == null) {
                fetchLatestNow();
                current = publication.current();
            }
            if (current == null || !now.isBefore(current.snapshot().nextUpdate().minus(margin))) {
                generate("schedule");
            }
        } catch (RuntimeException e) {
            LOG.error("scheduled CRL check failed", e);
        }
    }

    private void succeeded() {
        backoff = Duration.ZERO;
        nextAttempt = Instant.MIN;
    }

    private void failed(String what, CaClientException e) {
        failures.increment();
        backoff = backoff.isZero() ? Duration.ofSeconds(1) : backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        nextAttempt = clock.instant().plus(backoff);
        LOG.warn("{} failed ({}); next try in {} s", what, e.getMessage(), backoff.toSeconds());
        // Retry even without a new event (a revocation must not wait for the next schedule tick), with
        // one retry chain at a time however many callers failed.
        if (retry == null || retry.isDone()) {
            retry = scheduler.schedule(() -> generate("retry"), backoff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public long failureCount() {
        return failures.sum();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        completer.shutdownNow();
    }
}
