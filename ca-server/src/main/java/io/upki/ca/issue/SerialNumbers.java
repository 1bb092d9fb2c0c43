package io.upki.ca.issue;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Certificate serial numbers: 159 random bits, so always positive and at most 20 octets
 * (RFC 5280 section 4.1.2.2), and far beyond the 64 bits of entropy the CA/Browser Forum asks for.
 * Uniqueness is finally enforced by the store's unique index.
 */
public final class SerialNumbers {
    private final SecureRandom random;

    public SerialNumbers(SecureRandom random) {
        this.random = random;
    }

    public BigInteger next() {
        BigInteger serial;
        do {
            serial = new BigInteger(159, random);
        } while (serial.bitLength() < 64); // never a short, guessable serial
        return serial;
    }
}
