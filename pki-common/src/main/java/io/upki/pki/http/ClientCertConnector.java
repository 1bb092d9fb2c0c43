package io.upki.pki.http;

import java.io.IOException;
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
 * A Jetty HTTPS connector (TLS 1.3 and 1.2) that asks for a client certificate without requiring one
 * at the handshake, so that the application refuses a missing or unacceptable certificate with a clean
 * 403 and a reason instead of a TLS error; shared by the sidecar's and ra-core's HTTPS listeners.
 */
public final class ClientCertConnector {
    private ClientCertConnector() {
    }

    /**
     * A TLS context presenting {@code chain} (leaf first) with {@code key}, that takes any client
     * certificate at the handshake ({@link DeferringTrustManager}) and names {@code acceptedIssuers} to
     * clients (RFC 8446 section 4.2.4).
     */
    public static SSLContext context(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> acceptedIssuers)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] none = new char[0];
        store.setKeyEntry("server", key, none, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, none);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new TrustManager[] {new DeferringTrustManager(acceptedIssuers)}, null);
        return context;
    }

    /** The connector for Javalin's {@code jetty.addConnector}, serving with {@code context}. */
    public static Connector create(Server server, HttpConfiguration base, String host, int port, SSLContext context) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        ssl.setWantClientAuth(true);
        ssl.setNeedClientAuth(false);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(base);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients reach the server by addresses its certificate may not name (127.0.0.1, a service name,
        // a proxy): checking the name is the client's business (proxy_ssl_name, serverName), not a reason
        // for Jetty to answer 400.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
