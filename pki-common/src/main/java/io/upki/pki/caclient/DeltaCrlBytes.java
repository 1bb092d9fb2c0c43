package io.upki.pki.caclient;

import java.math.BigInteger;

/**
 * DATA of {@code generate_delta_crl}: the number of the complete CRL just signed and, unless that CRL is
 * a new base, the delta CRL issued with it (RFC 5280 section 5.2.4) and the base it adds to.
 *
 * @param base the complete CRL the delta adds to, or null with {@code der}
 * @param der the delta CRL, DER, or null when there is none
 */
public record DeltaCrlBytes(BigInteger number, BigInteger base, byte[] der) {
    public DeltaCrlBytes {
        der = der == null ? null : der.clone();
    }

    @Override
    public byte[] der() {
        return der == null ? null : der.clone();
    }

    /** True when a delta CRL came with the complete one. */
    public boolean hasDelta() {
        return der != null;
    }
}
