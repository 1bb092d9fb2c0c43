package io.upki.ca.authority;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.security.cert.CertificateEncodingException;
import java.security.NoSuchAlgorithmException;

/** The loaded CA: certificate, private key and what every issued object needs of them. */
public final class CertificateAuthority {
    private static final DefaultSignatureAlgorithmIdentifierFinder ALGORITHMS = new DefaultSignatureAlgorithmIdentifierFinder();
    private final X509Certificate certificate;
    private final X509CertificateHolder holder;
    private final PrivateKey privateKey;
    private final String pem;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;

    public CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, String pem) {
        this.certificate = Objects.requireNonNull(certificate);
        this.privateKey = Objects.requireNonNull(privateKey);
        this.pem = Objects.requireNonNull(pem);
        try {
            this.holder = new JcaX509CertificateHolder(certificate);
            // RFC 5280 section 4.2.1.1: the AKI of what we issue is the SKI of our own key.
            this.authorityKeyIdentifier = new JcaX509ExtensionUtils()
                    .createAuthorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unusable CA certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public X509CertificateHolder holder() {
        return holder;
    }

    public X500Name subject() {
        return holder.getSubject();
    }

    /** The CA certificate as PEM with a trailing newline (uPKI's {@code get_ca}). */
    public String pem() {
        return pem;
    }

    public AuthorityKeyIdentifier authorityKeyIdentifier() {
        return authorityKeyIdentifier;
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The path length constraint of the CA certificate, or -1 for none / not a CA. */
    public int pathLength() {
        return certificate.getBasicConstraints();
    }

    /**
     * A signer for one certificate or CRL, with the digest the profile asks for.
     *
     * @param digest sha256, sha384 or sha512
     */
    public ContentSigner signer(String digest) {
        String algorithm = signatureAlgorithm(privateKey.getAlgorithm(), digest);
        try {
            return new JcaContentSignerBuilder(algorithm).build(privateKey);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + algorithm, e);
        }
    }

    /** The AlgorithmIdentifier {@link #signer(String)} signs with, for a TBS made before its signer. */
    public AlgorithmIdentifier signatureAlgorithmIdentifier(String digest) {
        return ALGORITHMS.find(signatureAlgorithm(privateKey.getAlgorithm(), digest));
    }

    /**
     * True when signing the same data twice gives the same bytes: RSASSA-PKCS1-v1_5 (RFC 8017 section
     * 8.2), which is what an RSA CA key signs with here. ECDSA draws a fresh nonce for every signature.
     */
    public boolean signaturesRepeat() {
        return "RSA".equals(privateKey.getAlgorithm());
    }

    static String signatureAlgorithm(String keyAlgorithm, String digest) {
        String d = switch (digest) {
            case "sha384" -> "SHA384";
            case "sha512" -> "SHA512";
            default -> "SHA256";
        };
        return switch (keyAlgorithm) {
            case "RSA" -> d + "withRSA";
            case "EC", "ECDSA" -> d + "withECDSA";
            default -> throw new IllegalStateException("unsupported CA key algorithm " + keyAlgorithm);
        };
    }
}
