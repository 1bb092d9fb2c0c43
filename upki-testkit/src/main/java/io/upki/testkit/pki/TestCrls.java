package io.upki.testkit.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;

/** Reading CRLs the CA returns (base64 DER) in tests. */
public final class TestCrls {
    private TestCrls() {
    }

    public static X509CRL parse(String base64) throws Exception {
        return parse(Base64.getDecoder().decode(base64));
    }

    public static X509CRL parse(byte[] der) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    public static BigInteger number(String base64) throws Exception {
        return number(parse(base64));
    }

    public static BigInteger number(X509CRL crl) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue("2.5.29.20")).getOctets()).getValue();
    }
}
