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

    /**
     * Every live generation of the CA (docs/KEYS.md, rollover): the current one from {@code ca.crt}, the
     * earlier ones from {@code generations/N}, each key checked against its certificate; an interrupted
     * rollover install is completed first. An earlier generation whose certificate has expired is left
     * out: every certificate it signed expired with it.
     */
    public static CaGenerations loadGenerations(CaFiles files, char[] passphrase, Pkcs11Settings pkcs11, Clock clock) {
        try {
            if (Files.exists(files.caCertificate()) && GenerationFiles.switchPending(files)) {
                GenerationFiles.finishSwitch(files);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot complete the interrupted rollover in " + files.next() + ": "
                    + e.getMessage(), e);
        }
        Pkcs11Settings current = pkcs11 == null ? null : withKey(pkcs11, GenerationFiles.currentKeyLabel(files, pkcs11.key()));
        CertificateAuthority ca = load(files, passphrase, current, clock);
        List<CaGenerations.Generation> all = new java.util.ArrayList<>();
        for (int n : GenerationFiles.archived(files)) {
            CertificateAuthority earlier = loadEarlier(files, n, passphrase, pkcs11, ca.chain(), clock);
            if (earlier != null) {
                all.add(new CaGenerations.Generation(n, earlier));
            }
        }
        all.add(new CaGenerations.Generation(GenerationFiles.currentNumber(files), ca));
        return new CaGenerations(all);
    }

    /** The CA of {@code next/} once {@code install} switched to it, for a running CA taking it over. */
    public static CertificateAuthority loadCurrent(CaFiles files, char[] passphrase, Pkcs11Settings pkcs11, Clock clock) {
        return load(files, passphrase, pkcs11 == null ? null
                : withKey(pkcs11, GenerationFiles.currentKeyLabel(files, pkcs11.key())), clock);
    }

    private static CertificateAuthority loadEarlier(CaFiles files, int number, char[] passphrase, Pkcs11Settings pkcs11,
                                                    List<X509Certificate> chain, Clock clock) {
        java.nio.file.Path dir = files.generation(number);
        try {
            X509Certificate certificate = Pem.parseCertificate(Files.readString(dir.resolve("ca.crt"), StandardCharsets.US_ASCII));
            if (!clock.instant().isBefore(certificate.getNotAfter().toInstant())) {
                return null; // retired with its last certificate
            }
            java.nio.file.Path label = dir.resolve(GenerationFiles.KEY_LABEL);
            Pkcs11Settings token = Files.exists(label) && pkcs11 != null
                    ? withKey(pkcs11, GenerationFiles.readLabel(label, null)) : null;
            if (Files.exists(label) && pkcs11 == null) {
                throw new IllegalStateException("generation " + number + "'s key is in a PKCS#11 token: start needs "
                        + "--pkcs11-token and --pkcs11-pin-file");
            }
            CaKey key = CaKeys.load(dir.resolve("ca.key"), passphrase, token);
            checkPair(certificate, key);
            return new CertificateAuthority(certificate, key, chain, Pem.encode(certificate));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read generation " + number + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Pkcs11Settings withKey(Pkcs11Settings s, String key) {
        return new Pkcs11Settings(s.module(), s.token(), key, s.pinFile());
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
