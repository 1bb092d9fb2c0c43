package io.upki.acme.store;

import java.math.BigInteger;
import java.time.Instant;

/** A certificate issued through ACME: its chain (PEM), serial, validity and revocation. */
public record IssuedCertificate(String id, String orderId, String accountId, BigInteger serial, String chainPem,
                                Instant notBefore, Instant notAfter, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
