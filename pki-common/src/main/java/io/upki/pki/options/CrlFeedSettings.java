package io.upki.pki.options;

import io.upki.pki.crlfeed.CrlFallbackSettings;
import java.util.List;

/**
 * Where a relying party (auth-sidecar, ra-core) takes its CRLs from, as {@link CrlFeedOptions} reads it;
 * whether an empty source list is allowed is the service's rule (each refuses it with its own reason).
 *
 * @param sources CRL files or http(s) URLs, in the order given
 * @param events the crl-publishers' push channels, comma-separated, or null to rely on polling only
 * @param fallback taking CRLs from the CA while no publisher answers, or null for none
 */
public record CrlFeedSettings(List<String> sources, String events, CrlFallbackSettings fallback) {
    public CrlFeedSettings {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** Polling and push channels only, no CA fallback. */
    public CrlFeedSettings(List<String> sources, String events) {
        this(sources, events, null);
    }
}
