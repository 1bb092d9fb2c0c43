package io.upki.sidecar.testing;

import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A small PKI minted per test run with BouncyCastle: root, intermediate, leaves and CRLs on demand. */
public final class TestPki {
    public static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    /** A CA: its certificate and key. */
    public record Ca(X509Certificate cert, PrivateKey key) {
    }

    public final Ca root;
    public final Ca intermediate;

    public TestPki(String name) throws Exception {
        KeyPair rootKeys = ec();
        X509Certificate rootCert = ca("CN=" + name + " Root", rootKeys, null, rootKeys.getPrivate(), 1);
        root = new Ca(rootCert, rootKeys.getPrivate());
        KeyPair interKeys = ec();
        intermediate = new Ca(ca("CN=" + name + " Issuing", interKeys, root.cert(), root.key(), 0), interKeys.getPrivate());
    }

    public static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate ca(String dn, KeyPair keys, X509Certificate issuer, PrivateKey signer, int pathLen)
            throws Exception {
        X500Name subject = new X500Name(dn);
        X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        var b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(NOW.minusSeconds(86400L * 365)), Date.from(NOW.plusSeconds(86400L * 3650)), subject, keys.getPublic());
        JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(keys.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(
                issuer == null ? keys.getPublic() : issuer.getPublicKey()));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    /** A leaf issued by {@code issuer}. */
    public X509Certificate leaf(Ca issuer, String cn, Instant notBefore, Instant notAfter, KeyPurposeId eku, boolean isCa)
            throws Exception {
        KeyPair keys = ec();
        var b = new JcaX509v3CertificateBuilder(X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                new X500Name("CN=" + cn), keys.getPublic());
        JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, isCa ? new BasicConstraints(0) : new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign : KeyUsage.digitalSignature));
        if (eku != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(issuer.cert().getPublicKey()));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.key())));
    }

    /** A client leaf of {@code issuer} signed with {@code algorithm} (e.g. SHA1withECDSA), with {@code extra} extensions. */
    public X509Certificate leaf(Ca issuer, String cn, String algorithm, Extension... extra) throws Exception {
        KeyPair keys = ec();
        var b = new JcaX509v3CertificateBuilder(X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(NOW.minusSeconds(86400)),
                Date.from(NOW.plusSeconds(86400L * 30)), new X500Name("CN=" + cn), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.cert().getPublicKey()));
        for (Extension e : extra) {
            b.addExtension(e);
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(issuer.key())));
    }

    /** Another intermediate under the root (not configured: a client sends it), signed with {@code algorithm}. */
    public Ca intermediate(String cn, String algorithm, Extension... extra) throws Exception {
        KeyPair keys = ec();
        var b = new JcaX509v3CertificateBuilder(X500Name.getInstance(root.cert().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(NOW.minusSeconds(86400L * 365)),
                Date.from(NOW.plusSeconds(86400L * 3650)), new X500Name("CN=" + cn), keys.getPublic());
        JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(keys.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(root.cert().getPublicKey()));
        for (Extension e : extra) {
            b.addExtension(e);
        }
        return new Ca(new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(root.key()))), keys.getPrivate());
    }

    public X509Certificate client(String cn) throws Exception {
        return leaf(intermediate, cn, NOW.minusSeconds(86400), NOW.plusSeconds(86400L * 30), KeyPurposeId.id_kp_clientAuth, false);
    }

    /** A CRL of {@code issuer} listing {@code revoked}, signed by {@code signer}. */
    public static byte[] crl(Ca issuer, PrivateKey signer, long number, Instant thisUpdate, Instant nextUpdate,
                             List<X509Certificate> revoked) throws Exception {
        var b = new X509v2CRLBuilder(X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()),
                Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(thisUpdate), org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
        }
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.cert().getPublicKey()));
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)).getEncoded();
    }

    /** Both CAs' CRLs, numbered {@code number}, valid around {@link #NOW}, as one PEM bundle. */
    public String crls(long number, List<X509Certificate> revokedByIntermediate, List<X509Certificate> revokedByRoot)
            throws Exception {
        return pemCrl(crl(root, root.key(), number, NOW.minusSeconds(3600), NOW.plusSeconds(86400), revokedByRoot))
                + pemCrl(crl(intermediate, intermediate.key(), number, NOW.minusSeconds(3600), NOW.plusSeconds(86400),
                revokedByIntermediate));
    }

    public static String pemCrl(byte[] der) throws Exception {
        X509CRL crl = new JcaX509CRLConverter().getCRL(new org.bouncycastle.cert.X509CRLHolder(der));
        return Pem.encode(crl);
    }

    public static String base64(X509Certificate c) throws Exception {
        return Base64.getEncoder().encodeToString(c.getEncoded());
    }

    public void writeTrust(Path dir) throws Exception {
        Files.writeString(dir.resolve("root.crt"), Pem.encode(root.cert()));
        Files.writeString(dir.resolve("intermediate.crt"), Pem.encode(intermediate.cert()));
    }
}
