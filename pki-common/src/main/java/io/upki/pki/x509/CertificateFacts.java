package io.upki.pki.x509;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;

/** Facts about one certificate that every process needs: names, serial, SHA-256 fingerprint. */
public final class CertificateFacts {
    private CertificateFacts() {
    }

    /** Lower-case hex SHA-256 of the DER encoding, no separators (uPKI's fingerprint format). */
    public static String sha256Fingerprint(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public static String sha256Fingerprint(X509Certificate certificate) {
        return sha256Fingerprint(der(certificate));
    }

    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    public static X500Name subject(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    public static X500Name issuer(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded());
    }

    /** The subject's CN, or null. */
    public static String commonName(X509Certificate certificate) {
        return DistinguishedNames.commonName(subject(certificate));
    }

    /** Serial as lower-case hex, for logs and headers. */
    public static String serialHex(BigInteger serial) {
        return serial.toString(16);
    }
}
