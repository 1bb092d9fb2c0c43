package io.upki.ra.tls;

import io.upki.pki.http.DeferringTrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

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
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context(key, certificate, ca));
        ssl.setWantClientAuth(true);
        ssl.setNeedClientAuth(false);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(base);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients reach the RA by names its certificate may not carry (a proxy, a test host): the
        // certificate check is the client's business, not a reason for Jetty to answer 400.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private static SSLContext context(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("ra", key, none, new X509Certificate[] {certificate, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), new TrustManager[] {new DeferringTrustManager(List.of(ca))}, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS with ra.key/ra.crt: " + e.getMessage(), e);
        }
    }
}
