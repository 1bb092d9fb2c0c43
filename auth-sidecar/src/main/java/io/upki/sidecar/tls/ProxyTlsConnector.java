package io.upki.sidecar.tls;

import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import io.upki.pki.http.ClientCertConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;

/**
 * A Jetty HTTPS connector that presents the sidecar's certificate and asks every client for one. The
 * handshake proves the client holds its certificate's key (TLS 1.3 CertificateVerify, RFC 8446 section
 * 4.4.3); whether that certificate is the proxy's is decided per request with the full path, role and
 * CRL checks, so that probes without a certificate still reach {@code /health} and every other refusal
 * is a 403 with a reason rather than a bare handshake failure.
 */
public final class ProxyTlsConnector {
    private final SSLContext context;

    private ProxyTlsConnector(SSLContext context) {
        this.context = context;
    }

    /**
     * Reads the sidecar's certificate chain and key.
     *
     * @param acceptedIssuers the CAs named to clients as acceptable (RFC 8446 section 4.2.4)
     */
    public static ProxyTlsConnector load(Path certFile, Path keyFile, List<X509Certificate> acceptedIssuers)
            throws IOException {
        List<X509Certificate> chain = Pem.parseCertificates(Files.readString(certFile, StandardCharsets.US_ASCII));
        if (chain.isEmpty()) {
            throw new IOException("tls-cert: no certificate in " + certFile);
        }
        PrivateKey key = Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), null);
        try {
            SSLContext context = ClientCertConnector.context(key, chain, acceptedIssuers);
            return new ProxyTlsConnector(context);
        } catch (GeneralSecurityException e) {
            throw new IOException("tls-cert/tls-key: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The connector for Javalin's {@code jetty.addConnector}. */
    public Connector connector(Server server, HttpConfiguration base, String host, int port) {
        return ClientCertConnector.create(server, base, host, port, context);
    }
}
