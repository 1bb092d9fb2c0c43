package io.upki.ca.authority;

import io.upki.ca.config.ConfigFile;
import io.upki.ca.keys.CaKeys;
import io.upki.ca.keys.Pkcs11Settings;
import io.upki.ca.profile.BuiltInProfiles;
import io.upki.ca.profile.Profile;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Creates a new CA in an empty data directory from the {@code ca} profile: RSA-4096 by default (as
 * uPKI), EC P-384 on request; key file 0600, optionally encrypted, or in a PKCS#11 token; self-signed,
 * or an intermediate's request for the offline root then its {@link #install}; never overwrites a CA.
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
        return initialize(files, keyType, seed, passphrase, null, commonName, crlValidity, crlUrl);
    }

    /**
     * A self-signed CA whose key is a file, or lives in {@code pkcs11} when given.
     *
     * @throws IllegalStateException when the directory already holds a CA, or the token refuses
     */
    public Result initialize(CaFiles files, String keyType, String seed, char[] passphrase, Pkcs11Settings pkcs11,
                             String commonName, String crlValidity, String crlUrl) throws IOException {
        refuseExisting(files);
        Profile profile = BuiltInProfiles.all().get("ca");
        AtomicFiles.privateDirectory(files.dataDir());
        CaKeys.NewKey key = CaKeys.generate(keyType, files.caKey(), pkcs11, passphrase, random);
        X509CertificateHolder certificate = CaCertificates.selfSigned(key.signing(), key.publicKey(),
                subject(profile, commonName, null), profile.durationDays(), profile.pathLen(), clock, random);
        Prepared prepared = prepare(files, keyType, seed, crlValidity, crlUrl);
        key.keep(certificate);
        // The certificate is written last: its presence marks a complete CA.
        AtomicFiles.writePublic(files.caCertificate(), Pem.encode(certificate).getBytes(StandardCharsets.US_ASCII));
        return new Result(certificate, prepared.seed(), prepared.generated(), prepared.curvePublicKey());
    }

    /** What {@code init --intermediate} made: the request for the offline root, and the usual seed and keys. */
    public record IntermediateResult(PKCS10CertificationRequest csr, String seed, boolean seedGenerated,
                                     String curvePublicKey) {
    }

    /**
     * An intermediate CA's key (file or token) and its certificate request ({@code ca.csr}); the CA is
     * complete once {@link #install} writes the certificate the offline root signed.
     *
     * @param commonName the CA's CN, or null for "uPKI Issuing CA"
     */
    public IntermediateResult initializeIntermediate(CaFiles files, String keyType, String seed, char[] passphrase,
                                                     Pkcs11Settings pkcs11, String commonName, String crlValidity,
                                                     String crlUrl) throws IOException {
        refuseExisting(files);
        if (Files.exists(files.caCsr())) {
            throw new IllegalStateException(files.caCsr() + " already exists: the intermediate waits for "
                    + "'upki ca-server install'; refusing to make another key");
        }
        Profile profile = BuiltInProfiles.all().get("ca");
        AtomicFiles.privateDirectory(files.dataDir());
        CaKeys.NewKey key = CaKeys.generate(keyType, files.caKey(), pkcs11, passphrase, random);
        X500Name subject = subject(profile, commonName, "uPKI Issuing CA");
        PKCS10CertificationRequest csr = CaCertificates.request(key.signing(), key.publicKey(), subject);
        Prepared prepared = prepare(files, keyType, seed, crlValidity, crlUrl);
        // A token finds its key through a certificate: until the root signs, a self-signed placeholder.
        key.keep(CaCertificates.selfSigned(key.signing(), key.publicKey(), subject, 1, 0, clock, random));
        AtomicFiles.writePublic(files.caCsr(), Pem.encode(csr).getBytes(StandardCharsets.US_ASCII));
        return new IntermediateResult(csr, prepared.seed(), prepared.generated(), prepared.curvePublicKey());
    }

    /**
     * Completes an intermediate: the certificate must name the key of {@code ca.csr} and reach the root
     * through {@code chainPem}; the chain is written first and {@code ca.crt} last, nothing on refusal.
     */
    public X509Certificate install(CaFiles files, String certificatePem, String chainPem) throws IOException {
        if (Files.exists(files.caCertificate())) {
            throw new IllegalStateException(files.caCertificate() + " already exists; refusing to replace it");
        }
        if (!Files.exists(files.caCsr())) {
            throw new IllegalStateException("no " + files.caCsr() + ": run 'upki ca-server init --intermediate' first");
        }
        X509Certificate certificate = Pem.parseCertificate(certificatePem);
        List<X509Certificate> chain = Pem.parseCertificates(chainPem);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("--chain: no certificate in the file");
        }
        PKCS10CertificationRequest csr = Pem.parseCsr(Files.readString(files.caCsr(), StandardCharsets.US_ASCII));
        if (!java.util.Arrays.equals(csr.getSubjectPublicKeyInfo().getEncoded(), certificate.getPublicKey().getEncoded())) {
            throw new IllegalStateException("--cert: the certificate does not match this CA's key (" + files.caCsr()
                    + " names another public key)");
        }
        ChainCheck.verify(certificate, chain, clock.instant());
        StringBuilder chainOut = new StringBuilder();
        chain.forEach(c -> chainOut.append(Pem.encode(c)));
        AtomicFiles.writePublic(files.chain(), chainOut.toString().getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writePublic(files.caCertificate(), Pem.encode(certificate).getBytes(StandardCharsets.US_ASCII));
        return certificate;
    }

    private static void refuseExisting(CaFiles files) {
        for (Path existing : new Path[] {files.caKey(), files.caCertificate()}) {
            if (Files.exists(existing)) {
                throw new IllegalStateException("a CA already exists in " + files.dataDir() + " (" + existing.getFileName()
                        + "); refusing to overwrite it");
            }
        }
    }

    private record Prepared(String seed, boolean generated, String curvePublicKey) {
    }

    /** Seed, config, CURVE key and the sidecar profile: everything but the CA key and certificate. */
    private Prepared prepare(CaFiles files, String keyType, String seed, String crlValidity, String crlUrl)
            throws IOException {
        boolean generated = seed == null || seed.isEmpty();
        String effectiveSeed = generated ? RegistrationSeed.generate(random) : seed;
        RegistrationSeed.of(effectiveSeed, random).save(files.seedHash());
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
        return new Prepared(effectiveSeed, generated, curvePublicKey);
    }

    static X500Name subject(Profile profile, String commonName, String defaultCn) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        profile.orderedSubject().forEach((k, v) -> {
            if (!k.equals("CN")) {
                b.addRDN(BCStyle.INSTANCE.attrNameToOID(k), v);
            }
        });
        b.addRDN(BCStyle.CN, commonName != null && !commonName.isBlank() ? commonName
                : defaultCn != null ? defaultCn : profile.subject().get("CN"));
        return b.build();
    }
}
