package io.upki.ca.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * The CRL sequence: every number ever used, which only grows, and the body of the latest CRL.
 *
 * <p>A number is reserved durably before its CRL leaves the CA; the body is stored afterwards. A crash
 * in between loses only the body: the number stays used, so the next CRL gets a higher one and no two
 * different CRLs ever share a number (RFC 5280 section 5.2.3).
 */
public interface CrlRepository {
    /** The newest CRL whose body was stored (it may be older than {@link #lastNumber()} after a crash). */
    Optional<StoredCrl> latest();

    /** The highest CRL number reserved, zero when none was ever issued. */
    BigInteger lastNumber();

    /** The highest number reserved for this repository's own CRLs (one issuing-key generation's). */
    default BigInteger lastOwnNumber() {
        return lastNumber();
    }

    /**
     * Records durably that {@code number} is used.
     *
     * @throws IllegalStateException when it is not above the last one
     */
    void reserve(BigInteger number, Instant thisUpdate, Instant nextUpdate);

    /** Stores the body of a reserved CRL as the latest; the bodies of older CRLs may be dropped. */
    void saveBody(StoredCrl crl);
}
