package io.upki.pki.relying;

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
     * @param events the crl-publisher's server-sent events URL, or null to rely on polling only
     * @param poll how often URLs are polled
     * @param holder how this process names itself to the publisher ({@code CrlSources.holderName})
     * @param numbersFile where the highest CRL number per issuer is kept across restarts, or null for memory only
     */
    public record CrlFeed(List<String> locations, URI events, Duration poll, String holder, Path numbersFile) {
        public CrlFeed {
            locations = locations == null ? List.of() : List.copyOf(locations);
            if (poll == null || poll.isNegative() || poll.isZero()) {
                throw new IllegalArgumentException("crl-poll: must be positive");
            }
            if (holder == null || holder.isBlank()) {
                throw new IllegalArgumentException("crl holder: required");
            }
        }

        /** {@code events} from an option value: null or blank means none. */
        public static URI events(String url) {
            return url == null || url.isBlank() ? null : URI.create(url);
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
