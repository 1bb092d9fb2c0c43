package io.upki.pki.ops;

import io.upki.pki.crl.CrlSnapshot;
import java.math.BigInteger;
import java.time.Instant;

/**
 * What the metrics say about one CRL (RFC 5280 section 5): its issuer, number, validity window, entries and size.
 *
 * @param issuer the issuer's DN, the value of the {@code issuer} label
 * @param entries revoked certificates listed, or -1 when unknown
 * @param bytes DER size, or -1 when unknown
 */
public record CrlFacts(String issuer, BigInteger number, Instant thisUpdate, Instant nextUpdate, int entries, long bytes) {
    /** The facts of a verified CRL whose DER is {@code bytes} long (-1 when unknown). */
    public static CrlFacts of(CrlSnapshot s, long bytes) {
        return new CrlFacts(s.issuer().getSubjectX500Principal().getName(), s.number(), s.thisUpdate(), s.nextUpdate(),
                s.revokedSerials().size(), bytes);
    }
}
