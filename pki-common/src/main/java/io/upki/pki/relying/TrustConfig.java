package io.upki.pki.relying;

import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CertificateAuthorityClient;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Everything a relying party trusts a client certificate by, validated on construction with the
 * offending field named.
 *
 * @param anchors the trust anchors (at least one)
 * @param intermediates CA certificates a client may chain through without sending them (nginx sends the leaf only)
 * @param crls where CRLs come from
 * @param grace how long after its nextUpdate a CRL may still be used (RFC 5280 section 5.1.2.5); zero by default
 * @param admins who is an administrator besides holders of the CA's admin marker
 * @param pathCacheSize most verified paths remembered by key ({@link TrustPipeline#path(String, List)}); 0 for none
 */
public record TrustConfig(List<X509Certificate> anchors, List<X509Certificate> intermediates, CrlFeed crls,
                          Duration grace, AdminSource admins, long pathCacheSize) {

    /**
     * The CRL feed.
     *
     * @param locations CRL files and URLs, each read at start and then watched (files) or polled (URLs)
     * @param events the crl-publishers' server-sent events URLs, all followed (empty to rely on polling only)
     * @param poll how often URLs are polled
     * @param holder how this process names itself to the publisher ({@code CrlSources.holderName})
     * @param numbersFile where the highest CRL number per issuer is kept across restarts, or null for memory only
     * @param fallback the CA to take CRLs from while no publisher answers, or null for none
     */
    public record CrlFeed(List<String> locations, List<URI> events, Duration poll, String holder, Path numbersFile,
                          CaFallback fallback) {
        public CrlFeed {
            locations = locations == null ? List.of() : List.copyOf(locations);
            events = events == null ? List.of() : List.copyOf(events);
            if (poll == null || poll.isNegative() || poll.isZero()) {
                throw new IllegalArgumentException("crl-poll: must be positive");
            }
            if (holder == null || holder.isBlank()) {
                throw new IllegalArgumentException("crl holder: required");
            }
        }

        /** One publisher's push channel (or none when null), no CA fallback. */
        public CrlFeed(List<String> locations, URI events, Duration poll, String holder, Path numbersFile) {
            this(locations, events == null ? List.of() : List.of(events), poll, holder, numbersFile, null);
        }

        /** {@code events} from an option value, a comma-separated list of URLs: null or blank means none. */
        public static List<URI> events(String urls) {
            if (urls == null || urls.isBlank()) {
                return List.of();
            }
            List<URI> out = new java.util.ArrayList<>();
            for (String u : urls.split(",")) {
                if (u.isBlank()) {
                    continue;
                }
                URI uri;
                try {
                    uri = URI.create(u.strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("crl-events: not a URL: " + u.strip());
                }
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                        || uri.getHost() == null) {
                    throw new IllegalArgumentException("crl-events: not an http(s) URL: " + u.strip());
                }
                out.add(uri);
            }
            return out;
        }
    }

    /**
     * The CA as the CRL source of last resort: while no publisher has answered for {@code after}, CRLs are
     * fetched with {@code get_crl} on each CRL the CA's event feed announces.
     *
     * @param ca the CA client (role sidecar or ra: both may read CRLs and follow the feed)
     * @param events the CA's event feed, {@code tcp://ca:5002}
     * @param curve how to reach the feed: CURVE like the other CA connections, or plain
     * @param after how long no publisher may answer first
     */
    public record CaFallback(CertificateAuthorityClient ca, String events, CaCurve curve, Duration after) {
        public CaFallback {
            if (ca == null) {
                throw new IllegalArgumentException("ca-events: needs the CA client (--ca) to fetch get_crl");
            }
            if (events == null || !events.startsWith("tcp://")) {
                throw new IllegalArgumentException("ca-events: a tcp://host:port endpoint is required, not " + events);
            }
            if (curve == null) {
                throw new IllegalArgumentException("ca-events: CURVE settings are required (CaCurve.NONE for plain)");
            }
            if (after == null || after.isNegative() || after.isZero() || after.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("crl-fallback-after: must be between 1 ms and 5 min");
            }
        }
    }

    public TrustConfig {
        if (anchors == null || anchors.isEmpty()) {
            throw new IllegalArgumentException("trust-anchor: at least one is required");
        }
        anchors = List.copyOf(anchors);
        intermediates = intermediates == null ? List.of() : List.copyOf(intermediates);
        if (crls == null) {
            throw new IllegalArgumentException("crl: the CRL feed is required");
        }
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("crl-grace: must not be negative");
        }
        if (admins == null) {
            throw new IllegalArgumentException("admins: a source is required (AdminSource.none() for none)");
        }
        if (pathCacheSize < 0) {
            throw new IllegalArgumentException("cache-size: must not be negative");
        }
    }
}
