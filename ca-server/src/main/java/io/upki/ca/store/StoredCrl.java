package io.upki.ca.store;

import java.math.BigInteger;
import java.time.Instant;

/** A signed CRL with its number (RFC 5280 section 5.2.3) and validity window. */
public record StoredCrl(BigInteger number, Instant thisUpdate, Instant nextUpdate, byte[] der) {
}
