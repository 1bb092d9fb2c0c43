package io.upki.ca.authority;

import io.upki.ca.keys.CaKey;
import io.upki.ca.keys.CaKeys;
import io.upki.ca.keys.Pkcs11Settings;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * Loads an initialised CA from its data directory (key from its file or its PKCS#11 token), checks that
 * key and certificate belong together and that an intermediate's chain reaches its root.
 */
public final class CaLoader {
    private CaLoader() {
    }

    /** A CA whose key is a file. */
    public static CertificateAuthority load(CaFiles files, char[] passphrase) {
        return load(files, passphrase, null, Clock.systemUTC());
    }

    /**
     * @param pkcs11 the token holding the key, or null for {@code ca.key}
     * @throws IllegalStateException with a message an operator can act on
     */
    public static CertificateAuthority load(CaFiles files, char[] passphrase, Pkcs11Settings pkcs11, Clock clock) {
        if (!Files.exists(files.caCertificate())) {
            if (Files.exists(files.caCsr())) {
                throw new IllegalStateException("the intermediate CA in " + files.dataDir() + " is not installed yet: have "
                        + files.caCsr() + " signed by the root, then run 'upki ca-server install --cert ca.crt --chain root.crt'");
            }
            throw new IllegalStateException("no CA in " + files.dataDir() + ": run 'upki ca-server init --data-dir "
                    + files.dataDir() + "' first");
        }
        if (pkcs11 == null && !Files.exists(files.caKey())) {
            throw new IllegalStateException("no CA in " + files.dataDir() + " (no ca.key; a key in a PKCS#11 token needs "
                    + "--pkcs11-token, --pkcs11-key and --pkcs11-pin-file)");
        }
        try {
            String certPem = Files.readString(files.caCertificate(), StandardCharsets.US_ASCII);
            X509Certificate certificate = Pem.parseCertificate(certPem);
            List<X509Certificate> chain = Files.exists(files.chain())
                    ? Pem.parseCertificates(Files.readString(files.chain(), StandardCharsets.US_ASCII)) : List.of();
            boolean selfIssued = certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
            if (!selfIssued && chain.isEmpty()) {
                throw new IllegalStateException(files.caCertificate() + " is an intermediate but " + files.chain()
                        + " is missing: run 'upki ca-server install --cert ca.crt --chain root.crt'");
            }
            if (!chain.isEmpty()) {
                ChainCheck.verify(certificate, chain, clock.instant());
            }
            CaKey key = CaKeys.load(files.caKey(), passphrase, pkcs11);
            checkPair(certificate, key);
            return new CertificateAuthority(certificate, key, chain, Pem.encode(certificate));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CA files in " + files.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /** Signs a probe with the key and verifies it with the certificate (a token key is checked the same way). */
    static void checkPair(X509Certificate certificate, CaKey key) {
        try {
            String algorithm = CertificateAuthority.signatureAlgorithm(key.algorithm(), "sha256");
            byte[] probe = "upki key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = key.signature(algorithm);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(sig)) {
                throw new IllegalStateException("the CA key (" + key.where() + ") does not belong to ca.crt");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalStateException ise && ise.getMessage().contains("does not belong")) {
                throw ise;
            }
            throw new IllegalStateException("the CA key (" + key.where() + ") does not belong to ca.crt: " + e.getMessage(), e);
        }
    }
}
