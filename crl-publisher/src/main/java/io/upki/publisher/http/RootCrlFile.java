package io.upki.publisher.http;

import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.Base64;
import java.util.Map;

/**
 * The offline root's CRL ({@code upki root crl} writes it), served as given at {@code /root.crl} (DER)
 * and {@code /root.crl.pem}. The file is read on each request, so an operator replaces it in place
 * (atomically, by rename) without restarting; a file that is not a CRL is answered 503, never served.
 */
public final class RootCrlFile {
    private final Path file;

    /** @throws IllegalArgumentException when the file is missing or not a CRL, at start */
    public RootCrlFile(Path file) {
        this.file = file;
        try {
            read();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--root-crl: " + file + " is not a readable CRL: " + e.getMessage(), e);
        }
    }

    private byte[] read() throws IOException, GeneralSecurityException {
        byte[] der = Files.readAllBytes(file);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        return crl.getEncoded();
    }

    void serve(Context ctx, boolean pem) {
        byte[] der;
        try {
            der = read();
        } catch (IOException | GeneralSecurityException e) {
            ctx.status(503).json(Map.of("status", "error", "message", "the root CRL file is unreadable"));
            return;
        }
        // The root CRL changes rarely but must not be cached for long after an intermediate's revocation.
        ctx.header("Cache-Control", "public, max-age=300");
        if (pem) {
            ctx.contentType("application/x-pem-file").result("-----BEGIN X509 CRL-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END X509 CRL-----\n");
        } else {
            ctx.contentType("application/pkix-crl").result(der);
        }
    }
}
