package io.upki.ca.authority;

import io.upki.ca.config.ConfigFile;
import io.upki.ca.issue.KeyPairs;
import io.upki.ca.issue.SerialNumbers;
import io.upki.ca.profile.BuiltInProfiles;
import io.upki.ca.profile.Profile;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates a new root CA in an empty data directory from the {@code ca} profile: RSA-4096 by default
 * (as uPKI), EC P-384 on request; key file 0600, optionally encrypted; never overwrites a CA.
 */
public final class CaInitializer {
    /**
     * The profile under which an auth-sidecar registers its assertion-signing key: EC for fast
     * signatures, no EKU (it is no TLS identity), and upki's assertion-signer role.
     */
    static final String SIDECAR_PROFILE = """
            # upki: the auth-sidecar's assertion-signing identity (see docs/CA-PROTOCOL.md).
            keyType: ec
            keyLen: 256
            duration: 365
            digest: sha256
            altnames: false
            subject: {C: FR, O: uPKI, OU: Sidecars}
            keyUsage: [digitalSignature]
            extendedKeyUsage: []
            certType: sidecar
            role: sidecar
            """;

    private final Clock clock;
    private final SecureRandom random;

    public CaInitializer(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** What {@code init} made. */
    public record Result(X509CertificateHolder certificate, String seed, boolean seedGenerated, String curvePublicKey) {
    }

    /**
     * @param keyType rsa or ec
     * @param seed registration seed, or null to generate one
     * @param passphrase encrypts the CA key when not empty
     * @param commonName the CA's CN, or null for the profile's ("uPKI Root CA")
     * @throws IllegalStateException when the directory already holds a CA
     */
    public Result initialize(CaFiles files, String keyType, String seed, char[] passphrase, String commonName,
                             String crlValidity, String crlUrl) throws IOException {
        for (var existing : new java.nio.file.Path[] {files.caKey(), files.caCertificate()}) {
            if (Files.exists(existing)) {
                throw new IllegalStateException("a CA already exists in " + files.dataDir() + " (" + existing.getFileName()
                        + "); refusing to overwrite it");
            }
        }
        if (!"rsa".equals(keyType) && !"ec".equals(keyType)) {
            throw new IllegalArgumentException("key type: '" + keyType + "' is not one of [rsa, ec]");
        }
        Profile profile = BuiltInProfiles.all().get("ca");
        AtomicFiles.privateDirectory(files.dataDir());
        KeyPair keyPair = new KeyPairs(random).generate(keyType, "ec".equals(keyType) ? 384 : profile.keyLen());
        X509CertificateHolder certificate = selfSign(keyPair, profile, subject(profile, commonName),
                "ec".equals(keyType) ? "SHA384withECDSA" : "SHA256withRSA");

        boolean generated = seed == null || seed.isEmpty();
        String effectiveSeed = generated ? RegistrationSeed.generate(random) : seed;
        RegistrationSeed.of(effectiveSeed, random).save(files.seedHash());
        AtomicFiles.createSecret(files.caKey(),
                Pem.encodePrivateKey(keyPair.getPrivate(), passphrase).getBytes(StandardCharsets.US_ASCII));
        if (!Files.exists(files.config())) {
            AtomicFiles.writePublic(files.config(), ConfigFile.template(keyType, crlValidity, crlUrl)
                    .getBytes(StandardCharsets.UTF_8));
        }
        String curvePublicKey = CaCurveKey.loadOrCreate(files).publicKey();
        Files.createDirectories(files.profiles());
        Path sidecarProfile = files.profiles().resolve("sidecar.yml");
        if (!Files.exists(sidecarProfile)) {
            AtomicFiles.writePublic(sidecarProfile, SIDECAR_PROFILE.getBytes(StandardCharsets.UTF_8));
        }
        // The certificate is written last: its presence marks a complete CA.
        AtomicFiles.writePublic(files.caCertificate(), Pem.encode(certificate).getBytes(StandardCharsets.US_ASCII));
        return new Result(certificate, effectiveSeed, generated, curvePublicKey);
    }

    private static X500Name subject(Profile profile, String commonName) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        profile.orderedSubject().forEach((k, v) -> {
            if (!k.equals("CN")) {
                b.addRDN(BCStyle.INSTANCE.attrNameToOID(k), v);
            }
        });
        b.addRDN(BCStyle.CN, commonName == null || commonName.isBlank() ? profile.subject().get("CN") : commonName);
        return b.build();
    }

    private X509CertificateHolder selfSign(KeyPair keyPair, Profile profile, X500Name subject, String algorithm) {
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1));
        Instant notAfter = notBefore.plus(Duration.ofDays(profile.durationDays()));
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, new SerialNumbers(random).next(),
                    Date.from(notBefore), Date.from(notAfter), subject, spki);
            // RFC 5280 section 4.2.1.9 and 4.2.1.3: a CA certificate, critical, for certificates and CRLs only.
            builder.addExtension(Extension.basicConstraints, true,
                    profile.pathLen() == null ? new BasicConstraints(true) : new BasicConstraints(profile.pathLen()));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(spki));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(spki));
            return builder.build(new JcaContentSignerBuilder(algorithm).build(keyPair.getPrivate()));
        } catch (NoSuchAlgorithmException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the CA certificate: " + e.getMessage(), e);
        }
    }
}
