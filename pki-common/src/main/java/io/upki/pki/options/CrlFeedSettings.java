package io.upki.pki.options;

import io.upki.pki.crlfeed.CrlFallbackSettings;
import java.time.Duration;
import java.util.List;

/**
 * Where a relying party (auth-sidecar, ra-core) takes its CRLs from and how it keeps them, as
 * {@link CrlFeedOptions} reads it; whether an empty source list is allowed is the service's rule (each
 * refuses it with its own reason).
 *
 * @param sources CRL files or http(s) URLs, in the order given
 * @param events the crl-publishers' push channels, comma-separated, or null to rely on polling only
 * @param fallback taking CRLs from the CA while no publisher answers, or null for none
 * @param poll how often the sources are polled (pushes arrive in between)
 * @param grace how long a CRL may still be used past its nextUpdate (RFC 5280 section 5.1.2.5); zero: none
 */
public record CrlFeedSettings(List<String> sources, String events, CrlFallbackSettings fallback, Duration poll,
                              Duration grace) {
    /** {@code --crl-poll}'s default. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(30);

    public CrlFeedSettings {
        sources = sources == null ? List.of() : List.copyOf(sources);
        if (poll == null || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("crl-poll: must be positive");
        }
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("crl-grace: must not be negative");
        }
    }

    /** The default poll interval and no grace. */
    public CrlFeedSettings(List<String> sources, String events, CrlFallbackSettings fallback) {
        this(sources, events, fallback, DEFAULT_POLL, Duration.ZERO);
    }

    /** Polling and push channels only, no CA fallback, the default poll interval and no grace. */
    public CrlFeedSettings(List<String> sources, String events) {
        this(sources, events, null);
    }
}
