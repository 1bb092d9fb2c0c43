package io.upki.sidecar.tls;

import io.upki.pki.http.DeferringTrustManager;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("sidecar", key, none, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), new TrustManager[] {new DeferringTrustManager(acceptedIssuers)}, null);
            return new ProxyTlsConnector(context);
        } catch (GeneralSecurityException e) {
            throw new IOException("tls-cert/tls-key: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The connector for Javalin's {@code jetty.addConnector}. */
    public Connector connector(Server server, HttpConfiguration base, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        ssl.setWantClientAuth(true);
        ssl.setNeedClientAuth(false);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(base);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // The proxy reaches the sidecar by an address (127.0.0.1, a service name) its certificate may not
        // name; checking that is the proxy's business (proxy_ssl_name, serverName), not Jetty's.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
