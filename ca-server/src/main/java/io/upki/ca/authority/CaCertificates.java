package io.upki.ca.authority;

import io.upki.ca.keys.CaKey;
import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The CA certificates themselves: a self-signed root, an intermediate's request, and an intermediate
 * signed by the root (RFC 5280 section 4.2.1.9 basicConstraints and 4.2.1.3 keyUsage, both critical).
 */
public final class CaCertificates {
    private CaCertificates() {
    }

    /** The signature algorithm a CA key signs CA objects with: SHA-384 for P-384, SHA-256 for RSA. */
    public static String algorithm(CaKey key) {
        return "RSA".equals(key.algorithm()) ? "SHA256withRSA" : "SHA384withECDSA";
    }

    /** A positive 127-bit random serial (RFC 5280 section 4.1.2.2: at most 20 octets). */
    public static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    /**
     * @param pathLen the path length constraint, or null for none
     */
    public static X509CertificateHolder selfSigned(CaKey key, PublicKey publicKey, X500Name subject, int days,
                                                   Integer pathLen, Clock clock, SecureRandom random) {
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1));
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, serial(random),
                    Date.from(notBefore), Date.from(notBefore.plus(Duration.ofDays(days))), subject, spki);
            caExtensions(builder, pathLen);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(spki));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(spki));
            return builder.build(key.contentSigner(algorithm(key)));
        } catch (NoSuchAlgorithmException | CertIOException e) {
            throw new IllegalStateException("cannot create the CA certificate: " + e.getMessage(), e);
        }
    }

    /** An intermediate's PKCS#10 request (RFC 2986), signed by its own key to prove possession. */
    public static PKCS10CertificationRequest request(CaKey key, PublicKey publicKey, X500Name subject) {
        return new JcaPKCS10CertificationRequestBuilder(subject, publicKey).build(key.contentSigner(algorithm(key)));
    }

    /**
     * An intermediate CA certificate signed by {@code issuerKey}, never outliving the issuer.
     *
     * @param crlUrl the issuer's CRL (the root CRL) for the distribution point, or null
     * @param caIssuersUrl where the issuer's certificate is published (AIA caIssuers), or null
     */
    public static X509CertificateHolder intermediate(X509Certificate issuer, CaKey issuerKey, SubjectPublicKeyInfo spki,
                                                     X500Name subject, int days, int pathLen, String crlUrl,
                                                     String caIssuersUrl, Clock clock, SecureRandom random) {
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1));
        Instant notAfter = notBefore.plus(Duration.ofDays(days));
        if (notAfter.isAfter(issuer.getNotAfter().toInstant())) {
            notAfter = issuer.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new JcaX509CertificateHolder(issuer).getSubject(),
                    serial(random), Date.from(notBefore), Date.from(notAfter), subject, spki);
            caExtensions(builder, pathLen);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(spki));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(
                    SubjectPublicKeyInfo.getInstance(issuer.getPublicKey().getEncoded())));
            if (crlUrl != null && !crlUrl.isBlank()) {
                builder.addExtension(Extension.cRLDistributionPoints, false, crlDistributionPoint(crlUrl));
            }
            if (caIssuersUrl != null && !caIssuersUrl.isBlank()) {
                builder.addExtension(Extension.authorityInfoAccess, false, caIssuers(caIssuersUrl));
            }
            return builder.build(issuerKey.contentSigner(algorithm(issuerKey)));
        } catch (NoSuchAlgorithmException | CertIOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot create the intermediate certificate: " + e.getMessage(), e);
        }
    }

    /** RFC 5280 section 4.2.1.13: one distribution point, by URI. */
    public static CRLDistPoint crlDistributionPoint(String url) {
        return new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(new DistributionPointName(
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url))), null, null)});
    }

    /** RFC 5280 section 4.2.2.1: id-ad-caIssuers, where a client can fetch the issuer's certificate. */
    public static AuthorityInformationAccess caIssuers(String url) {
        return new AuthorityInformationAccess(AccessDescription.id_ad_caIssuers,
                new GeneralName(GeneralName.uniformResourceIdentifier, url));
    }

    private static void caExtensions(X509v3CertificateBuilder builder, Integer pathLen) throws CertIOException {
        builder.addExtension(Extension.basicConstraints, true,
                pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }
}
