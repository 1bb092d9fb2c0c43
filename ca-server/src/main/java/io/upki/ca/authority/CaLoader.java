package io.upki.ca.authority;

import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Set;

/** Loads an initialised CA from its data directory and checks that key and certificate belong together. */
public final class CaLoader {
    private CaLoader() {
    }

    /** @throws IllegalStateException with a message an operator can act on */
    public static CertificateAuthority load(CaFiles files, char[] passphrase) {
        if (!Files.exists(files.caCertificate()) || !Files.exists(files.caKey())) {
            throw new IllegalStateException("no CA in " + files.dataDir() + ": run 'upki ca-server init --data-dir "
                    + files.dataDir() + "' first");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(files.caKey());
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalStateException(files.caKey() + " is readable by others; chmod 600 it");
            }
            String certPem = Files.readString(files.caCertificate(), StandardCharsets.US_ASCII);
            X509Certificate certificate = Pem.parseCertificate(certPem);
            PrivateKey key;
            try {
                key = Pem.parsePrivateKey(Files.readString(files.caKey(), StandardCharsets.US_ASCII), passphrase);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot load " + files.caKey() + ": " + e.getMessage()
                        + " (set UPKI_CA_PASSPHRASE or --passphrase-file for an encrypted key)", e);
            }
            checkPair(certificate, key);
            return new CertificateAuthority(certificate, key, Pem.encode(certificate));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CA files in " + files.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private static void checkPair(X509Certificate certificate, PrivateKey key) {
        try {
            String algorithm = CertificateAuthority.signatureAlgorithm(key.getAlgorithm(), "sha256");
            byte[] probe = "upki key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(sig)) {
                throw new IllegalStateException("ca.key does not belong to ca.crt");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ca.key does not belong to ca.crt: " + e.getMessage(), e);
        }
    }
}
