package io.upki.ca.keys;

import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * Makes and loads CA keys, in a 0600 file (optionally passphrase-encrypted) or inside a PKCS#11 token:
 * the one place that knows the difference, so issuance and CRL signing see only a {@link CaKey}.
 */
public final class CaKeys {
    private CaKeys() {
    }

    /**
     * A key just generated, not yet kept: {@link #keep} writes the file or stores the token object.
     *
     * @param signing the key as issuance and CRL signing use it
     */
    public record NewKey(PublicKey publicKey, CaKey signing, Keeper keeper) {
        /**
         * Keeps the key for good. For a token the certificate is stored beside it (SunPKCS11 finds a key
         * through its certificate's label); for a file it is unused.
         */
        public void keep(X509CertificateHolder certificate) throws IOException {
            keeper.keep(certificate);
        }
    }

    /** How a {@link NewKey} is kept: a file written, or a certificate stored beside the token's key. */
    @FunctionalInterface
    public interface Keeper {
        void keep(X509CertificateHolder certificate) throws IOException;
    }

    /**
     * Generates a CA key: rsa 4096 or ec P-384.
     *
     * @param keyFile where a file key goes (must not exist)
     * @param pkcs11 the token, or null for a file
     * @param passphrase encrypts a file key when not empty
     */
    public static NewKey generate(String keyType, Path keyFile, Pkcs11Settings pkcs11, char[] passphrase,
                                  SecureRandom random) {
        if (!"rsa".equals(keyType) && !"ec".equals(keyType)) {
            throw new IllegalArgumentException("key type: '" + keyType + "' is not one of [rsa, ec]");
        }
        if (pkcs11 != null) {
            Pkcs11Token token = Pkcs11Token.open(pkcs11);
            if (token.hasKey()) {
                throw new IllegalStateException("PKCS#11: token '" + pkcs11.token() + "' already holds a key labelled '"
                        + pkcs11.key() + "'; refusing to overwrite it");
            }
            KeyPair pair = token.generate(keyType);
            CaKey key = new CaKey(pair.getPrivate(), token.provider(), token.describe());
            return new NewKey(pair.getPublic(), key, certificate -> {
                try {
                    token.store(pair.getPrivate(), new JcaX509CertificateConverter().getCertificate(certificate));
                } catch (CertificateException e) {
                    throw new IllegalStateException("cannot decode the certificate to store beside the key", e);
                }
            });
        }
        if (Files.exists(keyFile)) {
            throw new IllegalStateException(keyFile + " already exists; refusing to overwrite it");
        }
        KeyPair pair = fileKeyPair(keyType, random);
        CaKey key = CaKey.inFile(pair.getPrivate(), "file " + keyFile.getFileName());
        return new NewKey(pair.getPublic(), key, certificate -> AtomicFiles.createSecret(keyFile,
                Pem.encodePrivateKey(pair.getPrivate(), passphrase).getBytes(StandardCharsets.US_ASCII)));
    }

    private static KeyPair fileKeyPair(String keyType, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("ec".equals(keyType) ? "EC" : "RSA");
            g.initialize("ec".equals(keyType) ? new ECGenParameterSpec("secp384r1")
                    : new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + keyType + " CA key: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the CA key from the token when {@code pkcs11} is given, else from {@code keyFile}.
     *
     * @throws IllegalStateException with a message an operator can act on
     */
    public static CaKey load(Path keyFile, char[] passphrase, Pkcs11Settings pkcs11) {
        if (pkcs11 != null) {
            return Pkcs11Token.open(pkcs11).key();
        }
        if (!Files.exists(keyFile)) {
            throw new IllegalStateException("no CA key file " + keyFile + " (a key in a PKCS#11 token needs "
                    + "--pkcs11-token, --pkcs11-key and --pkcs11-pin-file)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalStateException(keyFile + " is readable by others; chmod 600 it");
            }
            return CaKey.inFile(Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), passphrase),
                    "file " + keyFile.getFileName());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot load " + keyFile + ": " + e.getMessage()
                    + " (set UPKI_CA_PASSPHRASE or --passphrase-file for an encrypted key)", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + keyFile + ": " + e.getMessage(), e);
        }
    }
}
