package io.upki.ra.console;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;

/** What the console shows of a CRL: its number (RFC 5280 section 5.2.3), dates, entries and size. */
record CrlFacts(BigInteger number, Instant thisUpdate, Instant nextUpdate, int entries, int size) {

    static CrlFacts of(byte[] der) {
        try {
            X509CRLHolder crl = new X509CRLHolder(der);
            Extension ext = crl.getExtension(Extension.cRLNumber);
            BigInteger number = ext == null ? null : ASN1Integer.getInstance(ext.getParsedValue()).getValue();
            return new CrlFacts(number, crl.getThisUpdate().toInstant(),
                    crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant(), crl.getRevokedCertificates().size(),
                    der.length);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the CA's CRL cannot be read: " + e.getMessage(), e);
        }
    }
}
