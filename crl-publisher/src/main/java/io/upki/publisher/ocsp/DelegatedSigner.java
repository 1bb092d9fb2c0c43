package io.upki.publisher.ocsp;

import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.SignRequest;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegated OCSP signer of RFC 6960 section 4.2.2.2: a key made here (file 0600, never sent anywhere)
 * certified by the CA under the {@code ocsp} profile from a CSR, and replaced by a new key and
 * certificate once two thirds of the certificate's lifetime have passed.
 */
public final class DelegatedSigner {
    private static final Logger LOG = LoggerFactory.getLogger(DelegatedSigner.class);
    static final String KEY_FILE = "ocsp-signer.key";
    static final String CERT_FILE = "ocsp-signer.crt";
    static final String PROFILE = "ocsp";

    /** One key with its certificate, and when to replace it. */
    public record Identity(PrivateKey key, X509CertificateHolder certificate, Instant renewAt) {
        public Instant notAfter() {
            return certificate.getNotAfter().toInstant();
        }
    }

    private final CaClient ca;
    private final X509Certificate caCertificate;
    private final Path dir;
    private final String cn;
    private final Clock clock;
    private final AtomicReference<Identity> current = new AtomicReference<>();

    private DelegatedSigner(CaClient ca, X509Certificate caCertificate, Path dir, String cn, Clock clock) {
        this.ca = ca;
        this.caCertificate = caCertificate;
        this.dir = dir;
        this.cn = cn;
        this.clock = clock;
    }

    /**
     * Reuses the signer stored in {@code dir} while it is before its renewal time, else obtains a new one.
     *
     * @throws IOException when no usable signer can be had (the CA refused or did not answer)
     */
    public static DelegatedSigner start(CaClient ca, X509Certificate caCertificate, Path dir, String cn, Clock clock)
            throws IOException {
        DelegatedSigner signer = new DelegatedSigner(ca, caCertificate, dir, cn, clock);
        Identity stored = signer.load();
        if (stored != null && clock.instant().isBefore(stored.renewAt())) {
            signer.current.set(stored);
            LOG.info("OCSP signer {} reused (renewal due {})", stored.certificate().getSerialNumber().toString(16),
                    stored.renewAt());
        } else {
            try {
                signer.renew();
            } catch (IOException | RuntimeException e) {
                if (stored == null || !clock.instant().isBefore(stored.notAfter())) {
                    throw new IOException("cannot obtain an OCSP signing certificate from the CA: " + e.getMessage(), e);
                }
                signer.current.set(stored);
                LOG.warn("OCSP signer renewal failed ({}); using the stored one until it expires at {}", e.getMessage(),
                        stored.notAfter());
            }
        }
        return signer;
    }

    /** The signer in use; it may be expired when renewals kept failing, which the responder checks. */
    public Identity current() {
        return current.get();
    }

    /**
     * Renews when the renewal time has come; a failure keeps the current signer and is retried on the
     * next call.
     *
     * @return true when a new signer replaced the old one
     */
    public boolean renewIfDue() {
        Identity now = current.get();
        if (now != null && clock.instant().isBefore(now.renewAt())) {
            return false;
        }
        try {
            renew();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("OCSP signer renewal failed ({}); the current one expires at {}", e.getMessage(),
                    now == null ? "-" : now.notAfter());
            return false;
        }
    }

    private synchronized void renew() throws IOException {
        KeyPair keys = newKey();
        String csr;
        try {
            csr = Pem.encode(new JcaPKCS10CertificationRequestBuilder(
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build(), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new IOException("cannot sign the CSR: " + e.getMessage(), e);
        }
        SignedCertificate data;
        try {
            data = new TypedCaClient(ca).sign(new SignRequest(csr, PROFILE));
        } catch (CaClientException e) {
            throw new IOException("the CA did not sign the OCSP signer's CSR: " + e.getMessage(), e);
        }
        String certPem = data.certificate();
        Identity identity = check(keys.getPrivate(), keys.getPublic().getEncoded(), certPem);
        AtomicFiles.privateDirectory(dir);
        // Key first: a crash in between leaves a key that matches no certificate, which load() refuses.
        AtomicFiles.writeSecret(dir.resolve(KEY_FILE),
                Pem.encodePrivateKey(keys.getPrivate(), null).getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writePublic(dir.resolve(CERT_FILE), certPem.getBytes(StandardCharsets.US_ASCII));
        current.set(identity);
        LOG.info("OCSP signer {} obtained from the CA, valid until {}, renewal due {}",
                identity.certificate().getSerialNumber().toString(16), identity.notAfter(), identity.renewAt());
    }

    private Identity load() {
        Path key = dir.resolve(KEY_FILE);
        Path cert = dir.resolve(CERT_FILE);
        if (!Files.exists(key) || !Files.exists(cert)) {
            return null;
        }
        try {
            PrivateKey privateKey = Pem.parsePrivateKey(Files.readString(key, StandardCharsets.US_ASCII), null);
            String certPem = Files.readString(cert, StandardCharsets.US_ASCII);
            X509Certificate x509 = Pem.parseCertificate(certPem);
            if (!keyMatches(privateKey, x509.getPublicKey())) {
                throw new IOException("the key does not match the certificate");
            }
            return check(privateKey, x509.getPublicKey().getEncoded(), certPem);
        } catch (IOException | RuntimeException e) {
            LOG.warn("the OCSP signer in {} is not usable ({}): obtaining a new one", dir, e.getMessage());
            return null;
        }
    }

    /** The certificate must be the CA's, for this key, and an OCSP signer as RFC 6960 section 4.2.2.2 requires. */
    private Identity check(PrivateKey key, byte[] expectedPublicKey, String certPem) throws IOException {
        X509Certificate x509;
        try {
            x509 = Pem.parseCertificate(certPem);
            x509.verify(caCertificate.getPublicKey());
            List<String> eku = x509.getExtendedKeyUsage();
            if (eku == null || !eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                throw new IOException("the certificate lacks the OCSPSigning extended key usage (is the CA's '"
                        + PROFILE + "' profile replaced?)");
            }
            if (x509.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId()) == null) {
                LOG.warn("the OCSP signer certificate has no id-pkix-ocsp-nocheck: clients may try to check it");
            }
            if (!Arrays.equals(x509.getPublicKey().getEncoded(), expectedPublicKey)) {
                throw new IOException("the certificate is not for the signer's key");
            }
            X509CertificateHolder holder = new X509CertificateHolder(x509.getEncoded());
            Instant notBefore = x509.getNotBefore().toInstant();
            Duration life = Duration.between(notBefore, x509.getNotAfter().toInstant());
            return new Identity(key, holder, notBefore.plus(life.multipliedBy(2).dividedBy(3)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("the OCSP signer certificate is not usable: " + e.getMessage(), e);
        }
    }

    /** A probe signature: the only sure way to see that a stored key belongs to a stored certificate. */
    private static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
        try {
            byte[] probe = "upki ocsp signer probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is always available", e);
        }
    }
}
