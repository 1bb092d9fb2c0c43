package io.upki.pki.crl;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * One accepted CRL reduced to what decisions need: its issuer (the trusted CA certificate whose key
 * signed it), number, validity window and the revoked serials.
 */
public record CrlSnapshot(X509Certificate issuer, BigInteger number, Instant thisUpdate, Instant nextUpdate,
                          RevokedSerials revokedSerials, byte[] der) {

    public boolean revokes(BigInteger serial) {
        return revokedSerials.contains(serial);
    }

    /** Usable at {@code now}: not past nextUpdate plus the grace period. */
    public boolean currentAt(Instant now, java.time.Duration grace) {
        return now.isBefore(nextUpdate.plus(grace));
    }
}
