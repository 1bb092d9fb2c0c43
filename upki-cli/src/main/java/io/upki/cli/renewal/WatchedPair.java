package io.upki.cli.renewal;

import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * One certificate/key pair on disk that the agent keeps current, and how a new pair replaces it without
 * ever leaving a half-written file or a key that does not match its certificate for longer than one rename.
 *
 * <p>A new pair is first written whole beside the old one ({@code FILE.next}, the key 0600), then the key
 * and the certificate are renamed over the old ones. The RA revokes the old certificate as superseded when
 * it issues the new one, so a swap cut short by a crash is completed on the next start ({@link #recover}),
 * never undone.
 */
public record WatchedPair(Path cert, Path key) {

    /** The current certificate and key, after completing an interrupted swap. */
    public record Loaded(X509Certificate certificate, PrivateKey key) {
    }

    public Path nextCert() {
        return cert.resolveSibling(cert.getFileName() + ".next");
    }

    public Path nextKey() {
        return key.resolveSibling(key.getFileName() + ".next");
    }

    /**
     * Reads the pair and checks that the key is the certificate's.
     *
     * @throws IOException unreadable file
     * @throws IllegalArgumentException not a certificate, not a key, or a key of another certificate
     */
    public Loaded load() throws IOException {
        recover();
        X509Certificate certificate = Pem.parseCertificate(Files.readString(cert));
        PrivateKey privateKey = Pem.parsePrivateKey(Files.readString(key), null);
        if (!KeyMatch.matches(privateKey, certificate.getPublicKey())) {
            throw new IllegalArgumentException(key + " is not the key of " + cert);
        }
        return new Loaded(certificate, privateKey);
    }

    /** Writes the new pair beside the old one, then renames the key and the certificate into place. */
    public void install(String keyPem, String certPem) throws IOException {
        AtomicFiles.writeSecret(nextKey(), keyPem.getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writePublic(nextCert(), certPem.getBytes(StandardCharsets.US_ASCII));
        recover();
    }

    /** Completes a swap a crash interrupted: a {@code .next} certificate present means the RA issued it. */
    public void recover() throws IOException {
        if (!Files.exists(nextCert())) {
            // Without its certificate a .next key was never certified: nothing to finish.
            Files.deleteIfExists(nextKey());
            return;
        }
        if (Files.exists(nextKey())) {
            move(nextKey(), key);
        }
        move(nextCert(), cert);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
        }
        AtomicFiles.fsyncDirectory(to.toAbsolutePath().getParent());
    }

    @Override
    public String toString() {
        return cert.toString();
    }
}
