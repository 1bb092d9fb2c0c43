package io.upki.cli.transport;

import io.upki.cli.context.CliException;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client context from the same PEM files curl takes ({@code --cert --key --cacert}): the RA is
 * trusted only when its certificate chains to {@code ca.crt}, never through the system's CAs.
 */
public final class PemTls {
    private PemTls() {
    }

    /**
     * @param cert client certificate (may be followed by its chain), or null to present none
     * @param key its private key (PKCS#8 or traditional PEM, unencrypted), required with {@code cert}
     * @param caCert the CA certificate(s) that must sign the RA's certificate
     * @throws CliException LOCAL_FILE when a file is missing or does not hold what it should
     */
    public static SSLContext context(Path cert, Path key, Path caCert) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<X509Certificate> cas = certificates(caCert, "--cacert");
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (cert != null) {
                if (key == null) {
                    throw CliException.usage("--cert needs --key");
                }
                List<X509Certificate> chain = certificates(cert, "--cert");
                PrivateKey privateKey;
                try {
                    privateKey = Pem.parsePrivateKey(read(key, "--key"), null);
                } catch (IllegalArgumentException e) {
                    throw CliException.localFile("--key " + key + ": " + e.getMessage(), e);
                }
                KeyStore identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                char[] none = new char[0];
                identity.setKeyEntry("me", privateKey, none, chain.toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(identity, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw CliException.localFile("cannot set up TLS from the PEM files: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file, String option) {
        try {
            List<X509Certificate> certs = Pem.parseCertificates(read(file, option));
            if (certs.isEmpty()) {
                throw CliException.localFile(option + " " + file + " holds no certificate", null);
            }
            return certs;
        } catch (IllegalArgumentException e) {
            throw CliException.localFile(option + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file, String option) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw CliException.localFile(option + " " + file, e);
        }
    }
}
