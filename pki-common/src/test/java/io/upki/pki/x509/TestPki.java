package io.upki.pki.x509;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Mints throwaway keys, certificates and CSRs with BouncyCastle for one test run. */
final class TestPki {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private TestPki() {
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CA certificate signing itself. */
    static X509Certificate selfSignedCa(String dn, KeyPair keys) {
        X500Name name = new X500Name(dn);
        return certificate(name, name, BigInteger.ONE, keys.getPublic(), keys.getPrivate(), true);
    }

    /** An end-entity certificate issued by {@code issuer}. */
    static X509Certificate issue(String dn, BigInteger serial, PublicKey key, X509Certificate issuer,
            PrivateKey issuerKey) {
        return certificate(CertificateFacts.subject(issuer), new X500Name(dn), serial, key, issuerKey, false);
    }

    static PKCS10CertificationRequest csr(String dn, KeyPair keys) {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(dn), keys.getPublic())
                .build(signer(keys.getPrivate()));
    }

    private static X509Certificate certificate(X500Name issuer, X500Name subject, BigInteger serial, PublicKey key,
            PrivateKey signingKey, boolean ca) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial,
                    Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(30))), subject, key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            return new JcaContentSignerBuilder(algorithm).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
