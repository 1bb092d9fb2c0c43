package io.upki.ca.issue;

import io.upki.ca.authority.CaGenerations;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.profile.Profile;
import io.upki.ca.profile.Usages;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import io.upki.pki.x509.UpkiRole;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Builds and signs one certificate from a subject, a public key and a profile, with the extensions of
 * RFC 5280 section 4.2 this CA always writes: BasicConstraints and KeyUsage (critical), SKI, AKI,
 * EKU and SAN when there are any, the CRL Distribution Point and the OCSP responder (Authority
 * Information Access) when configured, and id-pkix-ocsp-nocheck on OCSP signing certificates.
 */
public final class CertificateIssuer {
    /** notBefore is set a little in the past so that clients with a slightly slow clock accept it. */
    static final Duration BACKDATE = Duration.ofMinutes(1);

    private final CaGenerations generations;
    private final Clock clock;
    private final String crlUrl;
    private final String ocspUrl;
    private String caIssuersUrl;

    /** @param crlUrl the CRL Distribution Point URL written in every certificate, or null for none */
    public CertificateIssuer(CertificateAuthority ca, Clock clock, String crlUrl) {
        this(ca, clock, crlUrl, null);
    }

    /** @param ocspUrl the OCSP responder URL written in every certificate's AIA, or null for none */
    public CertificateIssuer(CertificateAuthority ca, Clock clock, String crlUrl, String ocspUrl) {
        this(CaGenerations.single(ca), clock, crlUrl, ocspUrl);
    }

    /**
     * Signs with the current generation of {@code generations}; a certificate prepared just before a
     * rollover is still signed by the generation it names as issuer.
     */
    public CertificateIssuer(CaGenerations generations, Clock clock, String crlUrl, String ocspUrl) {
        this.generations = generations;
        this.clock = clock;
        this.crlUrl = crlUrl;
        this.ocspUrl = ocspUrl;
    }

    /**
     * Writes AIA id-ad-caIssuers (RFC 5280 section 4.2.2.1) with {@code url}, where clients fetch this CA's
     * certificate (useful under an offline root, whose clients may hold only the root).
     *
     * @param url the URL, or null/blank for none
     */
    public CertificateIssuer withCaIssuers(String url) {
        this.caIssuersUrl = url == null || url.isBlank() ? null : url;
        return this;
    }

    /**
     * RFC 5280 section 4.2.1.2, method 1: the SHA-1 of the subjectPublicKey bits. A JcaX509ExtensionUtils
     * holds one MessageDigest, so each signing thread needs its own: shared, concurrent signs corrupted
     * each other's digest (an ArrayIndexOutOfBoundsException, or a wrong identifier without one).
     */
    static SubjectKeyIdentifier subjectKeyIdentifier(SubjectPublicKeyInfo key) {
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 for key identifiers is always available", e);
        }
    }

    /**
     * @param durationDays validity in days, or null for the profile's
     */
    public X509CertificateHolder issue(BigInteger serial, X500Name subject, SubjectPublicKeyInfo key, Profile profile,
                                       List<GeneralName> sans, Integer durationDays) {
        return sign(prepare(serial, subject, key, profile, sans, durationDays), profile.digest());
    }

    /**
     * The certificate to be signed, with the signature algorithm of the profile's digest.
     *
     * @param durationDays validity in days, or null for the profile's
     */
    public TBSCertificate prepare(BigInteger serial, X500Name subject, SubjectPublicKeyInfo key, Profile profile,
                                  List<GeneralName> sans, Integer durationDays) {
        CertificateAuthority ca = generations.current().ca();
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
        int days = durationDays == null ? profile.durationDays() : durationDays;
        Instant notAfter = notBefore.plus(Duration.ofDays(days));
        // A certificate must not outlive its issuer: it could never be validated past that point.
        if (notAfter.isAfter(ca.notAfter())) {
            notAfter = ca.notAfter();
        }
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(serial));
        tbs.setSignature(ca.signatureAlgorithmIdentifier(profile.digest()));
        tbs.setIssuer(ca.subject());
        tbs.setStartDate(new Time(Date.from(notBefore)));
        tbs.setEndDate(new Time(Date.from(notAfter)));
        tbs.setSubject(subject);
        tbs.setSubjectPublicKeyInfo(key);
        tbs.setExtensions(extensions(ca, key, profile, sans));
        return tbs.generateTBSCertificate();
    }

    private Extensions extensions(CertificateAuthority ca, SubjectPublicKeyInfo key, Profile profile, List<GeneralName> sans) {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        try {
            ext.addExtension(Extension.basicConstraints, true, profile.isCa()
                    ? (profile.pathLen() == null ? new BasicConstraints(true) : new BasicConstraints(profile.pathLen()))
                    : new BasicConstraints(false));
            ext.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsageBits(profile.keyUsage())));
            if (!profile.extendedKeyUsage().isEmpty()) {
                KeyPurposeId[] purposes = profile.extendedKeyUsage().stream()
                        .map(Usages.EXTENDED_KEY_USAGES::get).toArray(KeyPurposeId[]::new);
                ext.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            ext.addExtension(Extension.subjectKeyIdentifier, false, subjectKeyIdentifier(key));
            ext.addExtension(Extension.authorityKeyIdentifier, false, ca.authorityKeyIdentifier());
            if (!sans.isEmpty()) {
                ext.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            UpkiRole role = role(profile.role());
            if (role != null) {
                // The role is shown by a policy only the CA writes (UpkiRole); sign never copies CSR extensions.
                ext.addExtension(Extension.certificatePolicies, false, role.policies());
            }
            if (crlUrl != null && !crlUrl.isBlank()) {
                DistributionPoint point = new DistributionPoint(new DistributionPointName(new GeneralNames(
                        new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl))), null, null);
                ext.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {point}));
            }
            ocspExtensions(ext, profile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode certificate extensions", e);
        }
        return ext.generate();
    }

    /**
     * RFC 5280 section 4.2.2.1: where to ask for this certificate's status (id-ad-ocsp); RFC 6960 section
     * 4.2.2.2.1: a delegated OCSP signer carries id-pkix-ocsp-nocheck, so clients trust it for its
     * (short) lifetime instead of asking about the responder's own certificate.
     */
    private void ocspExtensions(ExtensionsGenerator ext, Profile profile) throws IOException {
        boolean ocspSigner = profile.extendedKeyUsage().contains("OCSPSigning");
        List<AccessDescription> access = new java.util.ArrayList<>();
        if (ocspUrl != null && !ocspUrl.isBlank() && !ocspSigner) {
            access.add(new AccessDescription(AccessDescription.id_ad_ocsp,
                    new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
        }
        if (caIssuersUrl != null) {
            access.add(new AccessDescription(AccessDescription.id_ad_caIssuers,
                    new GeneralName(GeneralName.uniformResourceIdentifier, caIssuersUrl)));
        }
        if (!access.isEmpty()) {
            ext.addExtension(Extension.authorityInfoAccess, false,
                    new AuthorityInformationAccess(access.toArray(AccessDescription[]::new)));
        }
        if (ocspSigner) {
            ext.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
        }
    }

    /** Signs a prepared certificate with the CA key (RFC 5280 section 4.1.1.3: over the TBS's DER). */
    public X509CertificateHolder sign(TBSCertificate tbs, String digest) {
        CaGenerations.Generation generation = generations.forIssuer(tbs.getIssuer());
        if (generation == null) {
            throw new IllegalStateException("the certificate names issuer " + tbs.getIssuer()
                    + ", which is no live generation of this CA");
        }
        ContentSigner signer = generation.ca().signer(digest);
        if (!signer.getAlgorithmIdentifier().equals(tbs.getSignature())) {
            throw new IllegalStateException("the certificate names " + tbs.getSignature().getAlgorithm()
                    + " but the CA signs with " + signer.getAlgorithmIdentifier().getAlgorithm());
        }
        try (OutputStream out = signer.getOutputStream()) {
            out.write(tbs.getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot sign the certificate", e);
        }
        return new X509CertificateHolder(Certificate.getInstance(new DERSequence(new ASN1Encodable[] {
                tbs, signer.getAlgorithmIdentifier(), new DERBitString(signer.getSignature())})));
    }

    /** The generation whose subject is {@code issuer} (what the store records for a certificate), or 0 for none. */
    public int generationOf(X500Name issuer) {
        CaGenerations.Generation g = generations.forIssuer(issuer);
        return g == null ? 0 : g.number();
    }

    private static UpkiRole role(String role) {
        if (Profile.ROLE_ADMIN.equals(role)) {
            return UpkiRole.ADMIN;
        }
        if (Profile.ROLE_SIDECAR.equals(role)) {
            return UpkiRole.ASSERTION_SIGNER;
        }
        if (Profile.ROLE_PROXY.equals(role)) {
            return UpkiRole.PROXY;
        }
        return null;
    }

    static int keyUsageBits(List<String> names) {
        int bits = 0;
        for (String name : names) {
            bits |= Usages.KEY_USAGES.get(name);
        }
        return bits;
    }
}
