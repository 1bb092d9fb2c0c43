package io.upki.pki.caclient;

import java.math.BigInteger;

/**
 * How a task names one certificate (CA-PROTOCOL.md section 4): by {@code serial} (exact, upki's CA), by
 * {@code dn} (a CN or DN, the only form uPKI's CA knows), or both, so one request works against either.
 */
public record CertificateId(BigInteger serial, String dn) {
    public CertificateId {
        if (serial == null && (dn == null || dn.isBlank())) {
            throw new IllegalArgumentException("a certificate is named by a serial or a dn");
        }
    }

    public static CertificateId serial(BigInteger serial) {
        return new CertificateId(serial, null);
    }

    public static CertificateId dn(String dn) {
        return new CertificateId(null, dn);
    }
}
