package io.upki.testkit.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Key pairs and CSRs made on the test's side, as upki-cli makes them on an operator's machine. */
public final class TestKeys {
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private TestKeys() {
    }

    public static KeyPair ec256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC key on any curve BouncyCastle knows (secp256k1, brainpoolP256r1, ...), as an attacker could send. */
    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA key with the given public exponent (65537 normally; 3 to test refusals). */
    public static KeyPair rsa(int bits, java.math.BigInteger exponent) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new java.security.spec.RSAKeyGenParameterSpec(bits, exponent));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", BC).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM CSR for {@code subject} (RFC 4514 or BouncyCastle order as written), with DNS SANs. */
    public static String csr(KeyPair keys, String subject, List<String> dnsNames) {
        return csr(keys, subject, dnsNames, null);
    }

    /** The usual signature algorithm for a key: SHA-256 with RSA or ECDSA, or Ed25519. */
    public static String signatureAlgorithm(KeyPair keys) {
        return switch (keys.getPrivate().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "SHA256withECDSA";
        };
    }

    /** A PEM CSR signed with {@code algorithm} (null: {@link #signatureAlgorithm}), through BouncyCastle. */
    public static String csr(KeyPair keys, String subject, List<String> dnsNames, String algorithm) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
            if (!dnsNames.isEmpty()) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(dnsNames.stream()
                        .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            String alg = algorithm == null ? signatureAlgorithm(keys) : algorithm;
            java.io.StringWriter pem = new java.io.StringWriter();
            try (org.bouncycastle.openssl.jcajce.JcaPEMWriter writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
                writer.writeObject(builder.build(new JcaContentSignerBuilder(alg).setProvider(BC).build(keys.getPrivate())));
            }
            return pem.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String csr(String subject) {
        return csr(ec256(), subject, List.of());
    }
}
