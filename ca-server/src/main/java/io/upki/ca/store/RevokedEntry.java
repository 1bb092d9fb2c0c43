package io.upki.ca.store;

import io.upki.pki.x509.RevocationReason;
import java.math.BigInteger;
import java.time.Instant;

/** What a CRL needs of one revoked certificate (RFC 5280 section 5.1.2.6). */
public record RevokedEntry(BigInteger serial, Instant revokedAt, RevocationReason reason) {
}
