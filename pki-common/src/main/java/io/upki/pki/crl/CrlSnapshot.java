package io.upki.pki.crl;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * One accepted CRL reduced to what decisions need: its issuer (the trusted CA certificate whose key
 * signed it), number, validity window and the revoked serials.
 *
 * @param der the complete CRL these serials come from (for a snapshot built from a delta, the complete
 *     CRL the delta was applied to)
 * @param complete false when a delta CRL (RFC 5280 section 5.2.4) added serials to {@code der}'s: the
 *     complete CRL of the same number may then still replace it, and its serials are not {@code der}'s
 */
public record CrlSnapshot(X509Certificate issuer, BigInteger number, Instant thisUpdate, Instant nextUpdate,
                          RevokedSerials revokedSerials, byte[] der, boolean complete) {

    /** A complete CRL's snapshot. */
    public CrlSnapshot(X509Certificate issuer, BigInteger number, Instant thisUpdate, Instant nextUpdate,
                       RevokedSerials revokedSerials, byte[] der) {
        this(issuer, number, thisUpdate, nextUpdate, revokedSerials, der, true);
    }

    public boolean revokes(BigInteger serial) {
        return revokedSerials.contains(serial);
    }

    /** Usable at {@code now}: not past nextUpdate plus the grace period. */
    public boolean currentAt(Instant now, java.time.Duration grace) {
        return now.isBefore(nextUpdate.plus(grace));
    }
}
