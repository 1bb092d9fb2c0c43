package io.upki.pki.crl;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test CA that signs complete and delta CRLs (RFC 5280 section 5.2.4) with BouncyCastle, valid around {@code now}. */
public final class TestCrlAuthority {
    private static final String NAME = "CN=Delta Test CA";
    private final Instant now;
    private final KeyPair key;
    private final X509Certificate certificate;

    public TestCrlAuthority(Instant now) throws Exception {
        this.now = now;
        this.key = ecKey();
        X500Name name = new X500Name(NAME);
        this.certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(now.minusSeconds(86_400)), Date.from(now.plusSeconds(86_400L * 365)), name,
                key.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public byte[] complete(long number, BigInteger... serials) throws Exception {
        return crl(key, number, null, true, now.plusSeconds(3600), CRLReason.keyCompromise, serials);
    }

    public byte[] delta(long number, long base, BigInteger... serials) throws Exception {
        return crl(key, number, base, true, now.plusSeconds(3600), CRLReason.keyCompromise, serials);
    }

    /** The same CA name, signed by a key that is not the CA's. */
    public byte[] forgedDelta(long number, long base, BigInteger... serials) throws Exception {
        return crl(ecKey(), number, base, true, now.plusSeconds(3600), CRLReason.keyCompromise, serials);
    }

    /**
     * Any CRL of this CA: a delta on {@code base} unless it is null (its indicator critical or not),
     * each entry with {@code reason}.
     */
    public byte[] crl(long number, Long base, boolean indicatorCritical, Instant nextUpdate, int reason,
                      BigInteger... serials) throws Exception {
        return crl(key, number, base, indicatorCritical, nextUpdate, reason, serials);
    }

    private byte[] crl(KeyPair signer, long number, Long base, boolean indicatorCritical, Instant nextUpdate,
                       int reason, BigInteger... serials) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(NAME), Date.from(now.minusSeconds(60)));
        b.setNextUpdate(Date.from(nextUpdate));
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
        if (base != null) {
            b.addExtension(Extension.deltaCRLIndicator, indicatorCritical, new CRLNumber(BigInteger.valueOf(base)));
        }
        for (BigInteger s : serials) {
            b.addCRLEntry(s, Date.from(now.minusSeconds(30)), reason);
        }
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())).getEncoded();
    }
}
