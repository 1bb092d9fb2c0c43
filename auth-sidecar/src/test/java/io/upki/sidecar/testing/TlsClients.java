package io.upki.sidecar.testing;

import io.upki.pki.x509.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS client contexts from PEM files: trust only the test CA, present a client certificate or none. */
public final class TlsClients {
    private TlsClients() {
    }

    /**
     * A client context trusting {@code caCrt} only.
     *
     * @param cert the client's certificate (PEM), or null to present none
     * @param key its private key (PEM), or null
     */
    public static SSLContext context(Path cert, Path key, Path caCrt) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate ca : Pem.parseCertificates(Files.readString(caCrt, StandardCharsets.US_ASCII))) {
            trust.setCertificateEntry("ca" + i++, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (cert != null) {
            List<X509Certificate> chain = Pem.parseCertificates(Files.readString(cert, StandardCharsets.US_ASCII));
            PrivateKey pk = Pem.parsePrivateKey(Files.readString(key, StandardCharsets.US_ASCII), null);
            keys.setKeyEntry("client", pk, new char[0], chain.toArray(X509Certificate[]::new));
        }
        kmf.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
