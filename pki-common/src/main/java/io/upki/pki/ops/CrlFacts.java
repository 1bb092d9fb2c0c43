package io.upki.pki.ops;

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
}
