package io.upki.ca.store;

import java.math.BigInteger;
import java.util.Optional;

/** The CRL sequence: the latest CRL and the highest number ever used, which only grows. */
public interface CrlRepository {
    Optional<StoredCrl> latest();

    /** The highest CRL number stored, zero when none was ever issued. */
    BigInteger lastNumber();

    /**
     * Stores a CRL as the latest.
     *
     * @throws IllegalStateException when its number is not above the last one
     */
    void save(StoredCrl crl);
}
