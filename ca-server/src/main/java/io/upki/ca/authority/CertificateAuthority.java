package io.upki.ca.authority;

import io.upki.ca.keys.CaKey;
import io.upki.pki.x509.Pem;
import java.security.PrivateKey;
import java.util.List;
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
import java.security.cert.CertificateEncodingException;
import java.security.NoSuchAlgorithmException;

/**
 * The loaded CA: certificate, signing key (file or token), the chain above it, and what every issued
 * object needs of them.
 */
public final class CertificateAuthority {
    private static final DefaultSignatureAlgorithmIdentifierFinder ALGORITHMS = new DefaultSignatureAlgorithmIdentifierFinder();
    private final X509Certificate certificate;
    private final X509CertificateHolder holder;
    private final CaKey key;
    private final List<X509Certificate> chain;
    private final String pem;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;

    /** A self-signed CA whose key is in memory (tests, benches). */
    public CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, String pem) {
        this(certificate, CaKey.inFile(privateKey, "memory"), List.of(), pem);
    }

    /**
     * @param chain the certificates above this one up to the root, in order; empty for a self-signed CA
     */
    public CertificateAuthority(X509Certificate certificate, CaKey key, List<X509Certificate> chain, String pem) {
        this.certificate = Objects.requireNonNull(certificate);
        this.key = Objects.requireNonNull(key);
        this.chain = List.copyOf(chain);
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

    /** The certificates above this CA up to the root (empty for a self-signed CA). */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** This CA's certificate then its chain up to the root, PEM (the new {@code get_ca_chain} task). */
    public String chainPem() {
        StringBuilder b = new StringBuilder(pem);
        for (X509Certificate c : chain) {
            b.append(Pem.encode(c));
        }
        return b.toString();
    }

    /** Where the key lives, for logs ({@code file ca.key}, {@code PKCS#11 token 'x' key 'y'}). */
    public String keyLocation() {
        return key.where();
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
        return key.contentSigner(signatureAlgorithm(key.algorithm(), digest));
    }

    /** The AlgorithmIdentifier {@link #signer(String)} signs with, for a TBS made before its signer. */
    public AlgorithmIdentifier signatureAlgorithmIdentifier(String digest) {
        return ALGORITHMS.find(signatureAlgorithm(key.algorithm(), digest));
    }

    /**
     * True when signing the same data twice gives the same bytes: RSASSA-PKCS1-v1_5 (RFC 8017 section
     * 8.2), which is what an RSA CA key signs with here. ECDSA draws a fresh nonce for every signature.
     */
    public boolean signaturesRepeat() {
        return "RSA".equals(key.algorithm());
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
