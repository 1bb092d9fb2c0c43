package io.upki.cli.issue;

import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * The three files of an identity: {@code NAME.key} (0600), {@code NAME.crt} and {@code ca.crt}, as the
 * user guide's curl and httpx read them. Each is written atomically, so a crash or a full disk never
 * leaves half a file, and an existing key or certificate is replaced only with {@code --force}.
 */
public final class IdentityFiles {
    private final Path key;
    private final Path cert;
    private final Path caCert;

    /**
     * @param dir where the files go
     * @param baseName {@code admin} gives {@code admin.key} and {@code admin.crt}
     * @throws CliException USAGE when the name is empty or contains a path separator
     */
    public IdentityFiles(Path dir, String baseName) {
        if (baseName == null || baseName.isBlank() || baseName.contains("/") || baseName.equals(".")
                || baseName.equals("..") || baseName.equals("ca")) {
            throw CliException.usage("--name '" + baseName + "' must be a plain file name other than 'ca'");
        }
        this.key = dir.resolve(baseName + ".key");
        this.cert = dir.resolve(baseName + ".crt");
        this.caCert = dir.resolve("ca.crt");
    }

    public Path key() {
        return key;
    }

    public Path cert() {
        return cert;
    }

    public Path caCert() {
        return caCert;
    }

    /**
     * Refuses, before anything is issued, what would overwrite a file without {@code --force}: an
     * existing key or certificate, or a {@code ca.crt} of another CA (a trust anchor silently replaced
     * would make curl trust whoever answered).
     */
    public void checkWritable(boolean force, String caPem) {
        if (force) {
            return;
        }
        for (Path p : new Path[] {key, cert}) {
            if (Files.exists(p)) {
                throw new CliException(ExitCode.LOCAL_FILE, p + " already exists; use --force to replace it");
            }
        }
        if (Files.exists(caCert) && !sameCertificate(caCert, caPem)) {
            throw new CliException(ExitCode.LOCAL_FILE, caCert + " holds another CA certificate; use --force to replace it");
        }
    }

    /** Writes the key first, then the certificate and the CA certificate; a failure removes a key it created. */
    public void write(String keyPem, String certPem, String caPem, boolean force) {
        boolean created = false;
        try {
            if (force) {
                AtomicFiles.writeSecret(key, keyPem.getBytes(StandardCharsets.US_ASCII));
            } else {
                AtomicFiles.createSecret(key, keyPem.getBytes(StandardCharsets.US_ASCII));
                created = true;
            }
            AtomicFiles.writePublic(cert, certPem.getBytes(StandardCharsets.US_ASCII));
            if (!Files.exists(caCert) || !sameCertificate(caCert, caPem)) {
                AtomicFiles.writePublic(caCert, caPem.getBytes(StandardCharsets.US_ASCII));
            }
        } catch (FileAlreadyExistsException e) {
            throw new CliException(ExitCode.LOCAL_FILE, key + " appeared meanwhile; use --force to replace it", e);
        } catch (IOException e) {
            if (created) {
                try {
                    Files.deleteIfExists(key);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
            throw CliException.localFile("cannot write " + key.getParent(), e);
        }
    }

    private static boolean sameCertificate(Path file, String pem) {
        try {
            X509Certificate existing = Pem.parseCertificate(Files.readString(file));
            return existing.equals(Pem.parseCertificate(pem));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
