package io.upki.ca.issue;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.profile.Profile;
import io.upki.ca.profile.ProfileRegistry;
import io.upki.pki.files.AtomicFiles;
import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.CertificateRepository;
import io.upki.ca.store.DuplicateSerialException;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.SubjectAltName;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The issuance use cases: a certificate for a CSR ({@code sign}), for a key the CA makes
 * ({@code generate}, {@code register}), and a renewal. A certificate is acknowledged only once it is
 * durably stored.
 */
public final class IssuanceService {
    private static final int SERIAL_ATTEMPTS = 5;

    private final CertificateAuthority ca;
    private final ProfileRegistry profiles;
    private final CertificateIssuer issuer;
    private final SigningStore signing;
    private final SerialNumbers serials;
    private final KeyPairs keyPairs;
    private final Path privateKeyDir;
    private final AuditLog audit;

    /** A certificate just issued, with its CA-made key pair when there is one. */
    public record Issued(CertificateRecord record, String certificatePem, KeyPair keyPair) {
        public BigInteger serial() {
            return record.serial();
        }
    }

    public IssuanceService(CertificateAuthority ca, ProfileRegistry profiles, CertificateIssuer issuer,
                           SigningStore signing, SerialNumbers serials, KeyPairs keyPairs,
                           Path privateKeyDir, AuditLog audit) {
        this.ca = ca;
        this.profiles = profiles;
        this.issuer = issuer;
        this.signing = signing;
        this.serials = serials;
        this.keyPairs = keyPairs;
        this.privateKeyDir = privateKeyDir;
        this.audit = audit;
    }

    public Profile profile(String name) {
        return profiles.find(name).orElseThrow(() ->
                new CaProtocolException(CaErrorCode.PROFILE, "Profile not found: " + name));
    }

    /**
     * Issues a certificate for a key the CA generates.
     *
     * @param keepKey true to keep the private key in the CA's {@code private/} folder (0600), as
     *     {@code generate} does; false when it is handed to the caller only ({@code register} on 5001)
     */
    public Issued issueWithNewKey(String action, String cn, String profileName, List<SubjectAltName> sans, boolean keepKey) {
        SubjectRules.checkCommonName(cn);
        Profile profile = profile(profileName);
        checkIssuable(profile);
        List<GeneralName> names = new ArrayList<>(SubjectRules.toGeneralNames(sans));
        if (names.isEmpty() && profile.altnames() && profile.extendedKeyUsage().contains("serverAuth")
                && SubjectRules.looksLikeHostname(cn)) {
            // TLS clients match only SANs (RFC 6125 section 6.4.4): a server certificate names its CN there too.
            names.add(new GeneralName(GeneralName.dNSName, cn.toLowerCase(java.util.Locale.ROOT)));
        }
        X500Name subject = subjectFromProfile(profile, cn);
        KeyPair keyPair = keyPairs.generate(profile.keyType(), profile.keyLen());
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        return store(new Request(action, subject, spki, profile, names, null), keepKey ? keyPair : null, null, keyPair);
    }

    /** Signs a CSR: subject and SANs from the request, usages and validity from the profile. */
    public Issued sign(String csrPem, String profileName) {
        return sign(csrPem, profileName, null);
    }

    /**
     * Signs a CSR; {@code fallbackCn} names the subject when the CSR has an empty subject, as ACME
     * clients such as certbot send (RFC 8555 section 7.4 puts the names in the SAN extension only).
     * The fallback must be one of the CSR's own DNS or IP SANs, so it can never add a name.
     */
    public Issued sign(String csrPem, String profileName, String fallbackCn) {
        PKCS10CertificationRequest csr = CsrRules.parseAndVerify(csrPem);
        X500Name subject = csr.getSubject();
        String cn = DistinguishedNames.commonName(subject);
        GeneralNames requested = CsrRules.requestedSans(csr);
        if ((cn == null || cn.isBlank()) && fallbackCn != null && subject.getRDNs().length == 0
                && requested != null && CsrRules.names(requested).contains(fallbackCn)) {
            cn = fallbackCn;
            subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, fallbackCn).build();
        }
        if (cn == null || cn.isBlank()) {
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "CSR has no Common Name");
        }
        SubjectRules.checkCommonName(cn);
        Profile profile = profile(profileName);
        checkIssuable(profile);
        List<GeneralName> names = new ArrayList<>();
        if (requested != null) {
            SubjectRules.checkGeneralNames(requested);
            names.addAll(List.of(requested.getNames()));
        }
        return store(new Request("sign", subject, csr.getSubjectPublicKeyInfo(), profile, names, null), null, null, null);
    }

    /** A new certificate for the same subject, key, SANs and profile, with a new serial. */
    public Issued renew(CertificateRecord existing, Integer durationDays) {
        if (durationDays != null && (durationDays < 1 || durationDays > 36_500)) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "duration must be between 1 and 36500 days");
        }
        Profile profile = profile(existing.profile());
        X509CertificateHolder old = holder(existing);
        List<GeneralName> names = sans(old);
        // The renewed certificate certifies the same key, so it names the same CA-held key file, if any.
        return store(new Request("renew", old.getSubject(), old.getSubjectPublicKeyInfo(), profile, names, durationDays),
                null, existing.keyFile(), null);
    }

    /**
     * A new certificate for the subject, SANs and profile of {@code existing}, certifying {@code key}
     * (the key of a CSR checked by {@link CsrRenewal}): nothing of the request but its key is used.
     */
    Issued renewWithKey(CertificateRecord existing, SubjectPublicKeyInfo key) {
        Profile profile = profile(existing.profile());
        X509CertificateHolder old = holder(existing);
        return store(new Request("renew_csr", old.getSubject(), key, profile, sans(old), null), null, null, null);
    }

    static X509CertificateHolder holder(CertificateRecord record) {
        try {
            return new X509CertificateHolder(record.der());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<GeneralName> sans(X509CertificateHolder certificate) {
        GeneralNames sans = GeneralNames.fromExtensions(certificate.getExtensions(), Extension.subjectAlternativeName);
        return sans == null ? List.of() : List.of(sans.getNames());
    }

    private void checkIssuable(Profile profile) {
        // RFC 5280 section 4.2.1.9: a CA certificate below a root with pathLen 0 would never validate.
        if (profile.isCa() && ca.pathLength() == 0) {
            throw new CaProtocolException(CaErrorCode.PROFILE, "Profile '" + profile.name()
                    + "' issues CA certificates, which this CA's path length constraint (0) forbids");
        }
    }

    static X500Name subjectFromProfile(Profile profile, String cn) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (Map.Entry<String, String> e : profile.orderedSubject().entrySet()) {
            if (!e.getKey().equals("CN") && e.getValue() != null && !e.getValue().isEmpty()) {
                builder.addRDN(BCStyle.INSTANCE.attrNameToOID(e.getKey()), e.getValue());
            }
        }
        builder.addRDN(BCStyle.CN, cn);
        return builder.build();
    }

    /** What to certify: the subject, its public key and SANs, under a profile. */
    private record Request(String action, X500Name subject, SubjectPublicKeyInfo key, Profile profile,
                           List<GeneralName> sans, Integer durationDays) {
    }

    /**
     * Signs and stores, drawing a new serial on the (astronomically rare) collision.
     *
     * @param keptKey a CA-made key to keep on disk, or null
     * @param inheritedKeyFile the key file of the certificate being renewed, or null
     * @param returnedKey the key pair to hand back to the caller, or null
     */
    private Issued store(Request req, KeyPair keptKey, String inheritedKeyFile, KeyPair returnedKey) {
        String action = req.action();
        Profile profile = req.profile();
        // Every issuance path (sign, generate, register, renew) passes here, so these rules have no bypass.
        SubjectRules.checkSubject(req.subject());
        DomainRule.check(profile, req.subject(), req.sans());
        for (int attempt = 1; ; attempt++) {
            BigInteger serial = serials.next();
            TBSCertificate tbs = issuer.prepare(serial, req.subject(), req.key(), profile, req.sans(), req.durationDays());
            String keyFile = keptKey == null ? inheritedKeyFile : writeKey(serial, keptKey);
            SigningStore.Stored stored;
            try {
                stored = signing.signAndStore(tbs, profile.digest(), profile.name(), keyFile);
            } catch (DuplicateSerialException e) {
                deleteKey(keptKey == null ? null : keyFile);
                if (attempt >= SERIAL_ATTEMPTS) {
                    throw e;
                }
                continue;
            } catch (RuntimeException e) {
                deleteKey(keptKey == null ? null : keyFile);
                audit.record(action, "error", "cn", DistinguishedNames.commonName(req.subject()), "profile", profile.name(),
                        "reason", "store");
                throw e;
            }
            CertificateRecord record = stored.record();
            audit.record(action, "ok", "serial", serial.toString(16), "subject", record.subjectDn(),
                    "profile", profile.name(), "not_after", record.notAfter());
            return new Issued(record, pem(stored.holder()), returnedKey);
        }
    }

    private String writeKey(BigInteger serial, KeyPair keyPair) {
        Path file = privateKeyDir.resolve(serial.toString(16) + ".key");
        try {
            AtomicFiles.privateDirectory(privateKeyDir);
            AtomicFiles.createSecret(file, Pem.encodePrivateKey(keyPair.getPrivate(), null)
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new CaProtocolException(CaErrorCode.KEY, "Cannot store the private key: " + e.getMessage());
        }
        return file.getFileName().toString();
    }

    private void deleteKey(String keyFile) {
        if (keyFile != null) {
            try {
                Files.deleteIfExists(privateKeyDir.resolve(keyFile));
            } catch (IOException ignored) {
                // an orphan key file names no certificate; it is harmless and logged by nobody
            }
        }
    }

    static String pem(X509CertificateHolder holder) {
        return Pem.encode(holder);
    }
}
