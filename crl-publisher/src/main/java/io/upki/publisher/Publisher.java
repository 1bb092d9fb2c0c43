package io.upki.publisher;

import io.javalin.Javalin;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.Pem;
import io.upki.publisher.fetch.CaEventListener;
import io.upki.publisher.fetch.CrlRefresher;
import io.upki.publisher.http.PublisherApp;
import io.upki.publisher.http.PushHub;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root of the crl-publisher: wires fetch, verification, publication, HTTP and push. */
public final class Publisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final Javalin app;
    private final CrlRefresher refresher;
    private final CaEventListener events;
    private final CaClient ca;
    private final ScheduledExecutorService pinger;
    private final Publication publication;
    private final PublisherMetrics metrics;

    private Publisher(Javalin app, CrlRefresher refresher, CaEventListener events, CaClient ca,
                      ScheduledExecutorService pinger, Publication publication, PublisherMetrics metrics) {
        this.metrics = metrics;
        this.app = app;
        this.refresher = refresher;
        this.events = events;
        this.ca = ca;
        this.pinger = pinger;
        this.publication = publication;
    }

    public static Publisher start(PublisherConfig config, Clock clock) throws IOException {
        Files.createDirectories(config.outDir());
        ZmqCaClient ca = new ZmqCaClient(config.caEndpoint(), task -> config.caTimeout(), 1, new WireCodec());
        X509Certificate caCert = caCertificate(config, ca);
        PushHub hub = new PushHub();
        java.util.concurrent.atomic.AtomicReference<PublisherMetrics> metricsRef = new java.util.concurrent.atomic.AtomicReference<>();
        Publication publication = new Publication(new CrlAcceptor(List.of(caCert), clock, Duration.ZERO), caCert,
                config.outDir(), c -> {
                    hub.announce(c);
                    metricsRef.get().published(c); // served and pushed: the revocations it lists are out
                });
        publication.reload();
        CrlRefresher refresher = new CrlRefresher(ca, publication, clock, config.margin(), config.debounce(),
                config.maxDelay());
        CaEventListener events = new CaEventListener(
                config.eventsEndpoint() == null ? PublisherConfig.defaultEvents(config.caEndpoint()) : config.eventsEndpoint(),
                refresher, new WireCodec());
        PublisherMetrics metrics = new PublisherMetrics(clock, publication, refresher, hub);
        metricsRef.set(metrics);
        Javalin app = new PublisherApp(publication, refresher, hub, clock, config.maxAge(),
                config.caTimeout().multipliedBy(2).plusSeconds(1), metrics::render,
                Pem.encode(caCert).getBytes(StandardCharsets.US_ASCII)).create(config.host(), config.port());
        app.start();
        events.start();
        refresher.start();
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sse-ping");
            t.setDaemon(true);
            return t;
        });
        pinger.scheduleWithFixedDelay(hub::ping, 15, 15, TimeUnit.SECONDS);
        return new Publisher(app, refresher, events, ca, pinger, publication, metrics);
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
        String pem = ca.getCaPem();
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

    @Override
    public void close() {
        pinger.shutdownNow();
        refresher.close();
        events.close();
        app.stop();
        ca.close();
        metrics.close();
    }
}
