package io.upki.publisher;

import io.javalin.Javalin;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CircuitBreakingCaClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.Pem;
import io.upki.publisher.fetch.CaEventListener;
import io.upki.publisher.fetch.CrlRefresher;
import io.upki.publisher.http.OcspEndpoint;
import io.upki.publisher.http.PublisherApp;
import io.upki.publisher.http.PushHub;
import io.upki.publisher.http.RootCrlFile;
import io.upki.publisher.ocsp.DelegatedSigner;
import io.upki.publisher.ocsp.OcspResponder;
import io.upki.publisher.ocsp.StatusLookup;
import io.upki.publisher.publish.GenerationCrls;
import io.upki.publisher.publish.Publication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root of the crl-publisher: wires fetch, verification, publication, HTTP, push and OCSP. */
public final class Publisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    private static final Duration OCSP_LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    private final Javalin app;
    private final CrlRefresher refresher;
    private final CaEventListener events;
    private final CaClient ca;
    private final ScheduledExecutorService pinger;
    private final Publication publication;
    private final DelegatedSigner signer;
    private final CaClient lookups;
    private final PublisherMetrics metrics;

    private Publisher(Javalin app, CrlRefresher refresher, CaEventListener events, CaClient ca,
                      ScheduledExecutorService pinger, Publication publication, DelegatedSigner signer,
                      CaClient lookups, PublisherMetrics metrics) {
        this.signer = signer;
        this.lookups = lookups;
        this.metrics = metrics;
        this.app = app;
        this.refresher = refresher;
        this.events = events;
        this.ca = ca;
        this.pinger = pinger;
        this.publication = publication;
    }

    public static Publisher start(PublisherConfig config, Clock clock) throws IOException {
        return start(config, CaCurve.NONE, clock);
    }

    /** @param curve how to reach the CA: CURVE with this publisher's key (role crl-publisher), or plain */
    public static Publisher start(PublisherConfig config, CaCurve curve, Clock clock)
            throws IOException {
        return start(config, curve, clock, null);
    }

    /** @param rootCrl the offline root's CRL file to serve at {@code /root.crl}, or null */
    public static Publisher start(PublisherConfig config, CaCurve curve, Clock clock, Path rootCrl)
            throws IOException {
        RootCrlFile rootCrlFile = rootCrl == null ? null : new RootCrlFile(rootCrl);
        Files.createDirectories(config.outDir());
        CaClient ca = CircuitBreakingCaClient.wrap(curve.client(config.caEndpoint(), task -> config.caTimeout(), 1, new WireCodec()));
        X509Certificate caCert = caCertificate(config, ca);
        PushHub hub = new PushHub();
        AtomicReference<OcspResponder> ocsp = new AtomicReference<>();
        AtomicReference<PublisherMetrics> metricsRef = new AtomicReference<>();
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("publisher-tasks"));
        Publication publication = new Publication(new CrlAcceptor(List.of(caCert), clock, Duration.ZERO), caCert,
                config.outDir(), current -> {
                    hub.announce(current);
                    PublisherMetrics m = metricsRef.get();
                    if (m != null) {
                        m.published(current); // served and pushed: the revocations it lists are out
                    }
                    OcspResponder responder = ocsp.get();
                    if (responder != null) {
                        // Off the publishing thread: the next CRL must not wait for re-signing.
                        pinger.execute(responder::presign);
                    }
                });
        publication.reload();
        GenerationCrls generations = new GenerationCrls(publication, clock);
        CrlRefresher refresher = new CrlRefresher(ca, publication, clock, config.margin(), config.debounce(),
                config.maxDelay()).followGenerations(generations);
        if (config.pushDeltas()) {
            refresher.pushDeltas(delta -> hub.announceDelta(delta.number(), delta.base(), delta.der()));
        }
        CaEventListener events = new CaEventListener(
                config.eventsEndpoint() == null ? PublisherConfig.defaultEvents(config.caEndpoint()) : config.eventsEndpoint(),
                refresher, new WireCodec(), curve);
        DelegatedSigner signer = null;
        CaClient lookups = null;
        if (config.ocsp() != null) {
            try {
                signer = DelegatedSigner.start(ca, caCert, config.ocsp().signerDir(), config.ocsp().signerCn(), clock);
            } catch (IOException e) {
                pinger.shutdownNow();
                ca.close();
                throw e;
            }
            // Its own client: an OCSP request waits at most 2 s for the CA, once, then gets tryLater.
            Duration lookupTimeout = config.caTimeout().compareTo(OCSP_LOOKUP_TIMEOUT) < 0 ? config.caTimeout()
                    : OCSP_LOOKUP_TIMEOUT;
            lookups = CircuitBreakingCaClient.wrap(curve.client(config.caEndpoint(), task -> lookupTimeout, 0, new WireCodec()));
            ocsp.set(new OcspResponder(caCert, () -> {
                Publication.Current current = publication.current();
                return current == null ? null : current.snapshot();
            }, new StatusLookup(lookups, 200_000, 8), signer, clock, config.ocsp().validity()));
        }
        PublisherMetrics metrics = new PublisherMetrics(clock, publication, refresher, hub, ocsp.get());
        metricsRef.set(metrics);
        PublisherApp routes = new PublisherApp(publication, refresher, hub, clock, config.maxAge(),
                config.caTimeout().multipliedBy(2).plusSeconds(1), metrics::render,
                Pem.encode(caCert).getBytes(StandardCharsets.US_ASCII));
        routes.withGenerations(generations);
        hub.followGenerations(generations::crlNumbers);
        if (rootCrlFile != null) {
            routes.withRootCrl(rootCrlFile);
        }
        if (ocsp.get() != null) {
            routes.withOcsp(new OcspEndpoint(ocsp.get(), clock, config.maxAge()));
        }
        Javalin app = routes.create(config.host(), config.port());
        app.start();
        events.start();
        refresher.start();
        // Once a second: a subscriber takes a channel silent for a few seconds as a publisher gone
        // (pki-common PublisherWatch) and may fall back to the CA; a comment line per subscriber is cheap.
        pinger.scheduleWithFixedDelay(hub::ping, 1, 1, TimeUnit.SECONDS);
        if (signer != null) {
            DelegatedSigner s = signer;
            pinger.scheduleWithFixedDelay(s::renewIfDue, 30, 30, TimeUnit.SECONDS);
        }
        return new Publisher(app, refresher, events, ca, pinger, publication, signer, lookups, metrics);
    }

    /**
     * The CA certificate every CRL must be signed by: the pinned file, else the one pinned in the output
     * folder on an earlier start, else fetched once with {@code get_ca} (trust on first use) and pinned.
     */
    private static X509Certificate caCertificate(PublisherConfig config, CaClient ca) throws IOException {
        if (config.caCert() != null) {
            return Pem.parseCertificate(Files.readString(config.caCert(), StandardCharsets.US_ASCII));
        }
        Path pinned = config.outDir().resolve("ca.crt");
        if (Files.exists(pinned)) {
            return Pem.parseCertificate(Files.readString(pinned, StandardCharsets.US_ASCII));
        }
        String pem = new TypedCaClient(ca).caCertificate();
        LOG.warn("no --ca-cert given: pinning the CA certificate the CA sent ({}) in {}",
                Pem.parseCertificate(pem).getSubjectX500Principal(), pinned);
        AtomicFiles.writePublic(pinned, pem.getBytes(StandardCharsets.US_ASCII));
        return Pem.parseCertificate(pem);
    }

    public int port() {
        return app.port();
    }

    public Publication publication() {
        return publication;
    }

    /** The delegated OCSP signer, or null without {@code --ocsp}. */
    public DelegatedSigner ocspSigner() {
        return signer;
    }

    @Override
    public void close() {
        pinger.shutdownNow();
        refresher.close();
        events.close();
        app.stop();
        ca.close();
        if (lookups != null) {
            lookups.close();
        }
        metrics.close();
    }
}
