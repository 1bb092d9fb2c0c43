package io.upki.publisher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.ops.CrlFacts;
import io.upki.pki.ops.CrlGauges;
import io.upki.pki.ops.OpsMetrics;
import io.upki.pki.process.DaemonThreads;
import io.upki.publisher.fetch.CrlRefresher;
import io.upki.publisher.http.PushHub;
import io.upki.publisher.publish.PublisherReadiness;
import io.upki.publisher.ocsp.OcspResponder;
import io.upki.publisher.publish.Publication;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's metrics through Micrometer: the CRL being served, publications, rejections, CA
 * failures, subscribers, readiness, OCSP answers, and the time from each revocation to the CRL that
 * lists it being served and pushed.
 */
final class PublisherMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherMetrics.class);

    private final OpsMetrics ops = new OpsMetrics();
    private final Clock clock;
    private final Timer revocationToPublication;
    private CrlSnapshot last;
    /**
     * Reads revocation dates off the publication path: a CRL of 100,000 entries takes a noticeable time
     * to parse, and the files should not wait for a metric.
     */
    private final ExecutorService timing = Executors.newSingleThreadExecutor(DaemonThreads.named("publisher-metrics"));

    /** @param ocsp the OCSP responder, or null */
    PublisherMetrics(Clock clock, Publication publication, CrlRefresher refresher, PushHub hub, OcspResponder ocsp) {
        this.clock = clock;
        MeterRegistry r = ops.registry();
        Publication.Current start = publication.current();
        this.last = start == null ? null : start.snapshot();
        CrlGauges.bind(ops, "upki.publisher", clock, () -> {
            Publication.Current c = publication.current();
            return c == null ? List.of() : List.of(facts(c));
        });
        ops.counter("upki.publisher.publications", "CRLs published.", publication, Publication::publishedCount);
        ops.counter("upki.publisher.deltas", "Delta CRLs pushed to subscribers (RFC 5280 section 5.2.4).",
                publication, Publication::deltaCount);
        ops.counter("upki.publisher.rejections", "CRLs refused by the acceptance checks.",
                publication, Publication::rejectedCount);
        ops.counter("upki.publisher.write.failures", "CRLs served but not written to the output folder.",
                publication, Publication::writeFailureCount);
        ops.counter("upki.publisher.ca.failures", "Failed calls to the CA.", refresher, CrlRefresher::failureCount);
        ops.gauge("upki.publisher.subscribers", "Sidecars subscribed to pushes.", hub, PushHub::size);
        if (ocsp != null) {
            ops.counter("upki.publisher.ocsp.requests", "OCSP requests answered.", ocsp, OcspResponder::servedCount);
            ops.counter("upki.publisher.ocsp.cached", "OCSP requests answered from pre-signed responses.",
                    ocsp, OcspResponder::cacheHitCount);
            ops.counter("upki.publisher.ocsp.presigned", "OCSP responses signed ahead when a new CRL came.",
                    ocsp, OcspResponder::presignedCount);
            ops.counter("upki.publisher.ocsp.refused", "OCSP requests answered with an error status.",
                    ocsp, OcspResponder::refusedCount);
            ops.counter("upki.publisher.ocsp.ca.lookups", "ocsp_check calls to the CA.",
                    ocsp, OcspResponder::caLookupCount);
        }
        ops.gauge("upki.publisher.ready", "1 when a CRL is served and its nextUpdate is in the future, else 0.",
                publication, p -> PublisherReadiness.of(p, clock).ready() ? 1 : 0);
        // RFC 5280 revocationDate has a resolution of one second, so each figure can be up to 1 s high.
        this.revocationToPublication = Timer.builder("upki.publisher.revocation.publication")
                .description("From a revocation at the CA (the CRL entry's revocationDate) to the CRL listing it "
                        + "being served and pushed.")
                .serviceLevelObjectives(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
                        Duration.ofMinutes(5))
                .register(r);
    }

    /** Called once a new CRL is served and announced: times each revocation it lists for the first time. */
    void published(Publication.Current current) {
        Instant servedAt = clock.instant();
        try {
            timing.execute(() -> time(current, servedAt));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private synchronized void time(Publication.Current current, Instant servedAt) {
        CrlSnapshot previous = last;
        CrlSnapshot next = current.snapshot();
        last = next;
        if (previous == null) {
            return; // the first CRL since start: its entries were not revoked just now
        }
        X509CRL crl = null;
        for (BigInteger serial : next.revokedSerials()) {
            if (previous.revokes(serial)) {
                continue;
            }
            try {
                if (crl == null) {
                    crl = (X509CRL) CertificateFactory.getInstance("X.509")
                            .generateCRL(new ByteArrayInputStream(current.der()));
                }
            } catch (CertificateException | CRLException e) {
                LOG.warn("cannot read revocation dates of CRL {}: {}", next.number(), e.getMessage());
                return;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(serial);
            if (entry != null) {
                Duration d = Duration.between(entry.getRevocationDate().toInstant(), servedAt);
                revocationToPublication.record(d.isNegative() ? Duration.ZERO : d);
            }
        }
    }

    String render() {
        return ops.scrape();
    }

    void close() {
        timing.shutdownNow();
        ops.close();
    }

    private static CrlFacts facts(Publication.Current c) {
        CrlSnapshot s = c.snapshot();
        return CrlFacts.of(s, c.der().length);
    }
}
