package io.upki.ca.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a filtered certificate listing matches; a null field matches every certificate.
 *
 * @param text case-insensitive substring of the CN or the slash DN (or, through {@code serials}, a serial)
 * @param serials the serials {@code text} may name, matched exactly besides the substrings
 * @param state the state node records report, computed at {@code now}
 * @param expiringBefore notAfter strictly before this instant
 */
public record CertificateSearch(String text, List<BigInteger> serials, String commonName, String profile,
                                State state, Instant expiringBefore, Instant now) {
    /** A certificate's state: revoked first, then expired (notAfter before now), else valid. */
    public enum State { VALID, REVOKED, EXPIRED }

    public CertificateSearch {
        serials = serials == null ? List.of() : List.copyOf(serials);
        Objects.requireNonNull(now, "now");
    }
}
