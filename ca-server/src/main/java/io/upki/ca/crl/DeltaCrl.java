package io.upki.ca.crl;

import java.math.BigInteger;

/**
 * A delta CRL (RFC 5280 section 5.2.4): the certificates revoked since the complete CRL numbered
 * {@code base}, signed with the same number as the complete CRL issued with it.
 */
public record DeltaCrl(BigInteger number, BigInteger base, int entries, byte[] der) {
}
