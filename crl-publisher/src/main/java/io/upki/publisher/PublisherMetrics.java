package io.upki.publisher;

import io.upki.publisher.fetch.CrlRefresher;
import io.upki.publisher.http.PushHub;
import io.upki.publisher.ocsp.OcspResponder;
import io.upki.publisher.publish.Publication;
import java.time.Clock;
import java.time.Duration;

/** The publisher's Prometheus text metrics: CRL number, age, time to nextUpdate, publications, rejections, OCSP. */
final class PublisherMetrics {
    private final Clock clock;
    private final Publication publication;
    private final CrlRefresher refresher;
    private final PushHub hub;
    private final OcspResponder ocsp;

    /** @param ocsp the OCSP responder, or null */
    PublisherMetrics(Clock clock, Publication publication, CrlRefresher refresher, PushHub hub, OcspResponder ocsp) {
        this.ocsp = ocsp;
        this.clock = clock;
        this.publication = publication;
        this.refresher = refresher;
        this.hub = hub;
    }

    String render() {
        StringBuilder sb = new StringBuilder(1024);
        Publication.Current c = publication.current();
        if (c != null) {
            gauge(sb, "upki_publisher_crl_number", "CRL Number being served.", c.snapshot().number().toString());
            gauge(sb, "upki_publisher_crl_age_seconds", "Seconds since thisUpdate.",
                    Long.toString(Duration.between(c.snapshot().thisUpdate(), clock.instant()).toSeconds()));
            gauge(sb, "upki_publisher_crl_seconds_to_next_update", "Seconds until nextUpdate.",
                    Long.toString(Duration.between(clock.instant(), c.snapshot().nextUpdate()).toSeconds()));
            gauge(sb, "upki_publisher_crl_entries", "Entries of the CRL being served.",
                    Integer.toString(c.snapshot().revokedSerials().size()));
        }
        counter(sb, "upki_publisher_publications_total", "CRLs published.", publication.publishedCount());
        counter(sb, "upki_publisher_rejections_total", "CRLs refused by the acceptance checks.", publication.rejectedCount());
        counter(sb, "upki_publisher_write_failures_total", "CRLs served but not written to the output folder.",
                publication.writeFailureCount());
        counter(sb, "upki_publisher_ca_failures_total", "Failed calls to the CA.", refresher.failureCount());
        gauge(sb, "upki_publisher_subscribers", "Sidecars subscribed to pushes.", Integer.toString(hub.size()));
        if (ocsp != null) {
            counter(sb, "upki_publisher_ocsp_requests_total", "OCSP requests answered.", ocsp.servedCount());
            counter(sb, "upki_publisher_ocsp_cached_total", "OCSP requests answered from pre-signed responses.",
                    ocsp.cacheHitCount());
            counter(sb, "upki_publisher_ocsp_presigned_total", "OCSP responses signed ahead when a new CRL came.",
                    ocsp.presignedCount());
            counter(sb, "upki_publisher_ocsp_refused_total", "OCSP requests answered with an error status.",
                    ocsp.refusedCount());
            counter(sb, "upki_publisher_ocsp_ca_lookups_total", "ocsp_check calls to the CA.", ocsp.caLookupCount());
        }
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, String value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }
}
