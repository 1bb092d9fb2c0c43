package io.upki.pki.assertion;

import io.upki.pki.x509.UpkiRole;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and the assertion-signer certificates it makes (as the CA's sidecar profile does), valid
 * around {@code now}: the PKI the assertion tests sign and verify with.
 */
final class SignerPki {
    private SignerPki() {
    }

    /** An EC key pair on {@code curve} (secp256r1, secp384r1). */
    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    /** A self-signed CA {@code dn} (keyCertSign and cRLSign), valid from a day before {@code now} to 30 days after. */
    static X509Certificate ca(String dn, KeyPair keys, Instant now, String signatureAlgorithm) throws Exception {
        X500Name name = new X500Name(dn);
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())));
    }

    /**
     * {@code CN=auth-sidecar} with upki's assertion-signer role for {@code keys}, serial {@code serial}, issued
     * by {@code caDn} with {@code caKeys}, valid from a day before {@code now} to 10 days after.
     */
    static X509Certificate signer(String caDn, KeyPair caKeys, KeyPair keys, BigInteger serial, Instant now,
                                  String signatureAlgorithm) throws Exception {
        var s = new JcaX509v3CertificateBuilder(new X500Name(caDn), serial, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(10))), new X500Name("CN=auth-sidecar"), keys.getPublic());
        s.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        s.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        s.addExtension(Extension.certificatePolicies, false, UpkiRole.ASSERTION_SIGNER.policies());
        return new JcaX509CertificateConverter().getCertificate(
                s.build(new JcaContentSignerBuilder(signatureAlgorithm).build(caKeys.getPrivate())));
    }
}
