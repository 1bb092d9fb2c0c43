package io.upki.ra.tls;

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
 * A Jetty HTTPS connector that presents {@code ra.crt} and requests (not requires) a client
 * certificate. The handshake itself proves the client holds the certificate's key (TLS
 * CertificateVerify); whether to trust the certificate is decided by the application with the full
 * path, EKU and CRL checks, as nginx's {@code optional_no_ca} leaves it to the sidecar. That way a
 * missing, untrusted or revoked certificate is a clean 403 with a reason (no TLS handshake error).
 */
public final class MutualTls {
    private MutualTls() {
    }

    public static Connector connector(Server server, HttpConfiguration base, String host, int port, PrivateKey key,
                                      X509Certificate certificate, X509Certificate ca) {
        return ClientCertConnector.create(server, base, host, port, context(key, certificate, ca));
    }

    private static SSLContext context(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        try {
            return ClientCertConnector.context(key, List.of(certificate, ca), List.of(ca));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS with ra.key/ra.crt: " + e.getMessage(), e);
        }
    }
}
