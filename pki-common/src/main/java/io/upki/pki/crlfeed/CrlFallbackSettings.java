package io.upki.pki.crlfeed;

import java.time.Duration;

/**
 * Taking CRLs from the CA while no crl-publisher answers: the CA's event feed to follow and how long
 * the publishers may be silent first.
 *
 * @param caEvents the CA's event feed, {@code tcp://ca:5002}
 * @param after how long no publisher may answer before the CA is asked
 */
public record CrlFallbackSettings(String caEvents, Duration after) {
    public CrlFallbackSettings {
        if (caEvents == null || !caEvents.startsWith("tcp://")) {
            throw new IllegalArgumentException("ca-events: a tcp://host:port endpoint is required, not " + caEvents);
        }
        if (after == null || after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("crl-fallback-after: must be positive");
        }
    }
}
