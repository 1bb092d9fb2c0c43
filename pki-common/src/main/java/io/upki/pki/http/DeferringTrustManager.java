package io.upki.pki.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A server-side trust manager that lets any client chain through the TLS handshake (the handshake still
 * proves possession of the key) so that the application decides per request, with its CRLs and roles,
 * and answers a refusal with a reason instead of a bare handshake failure.
 */
public final class DeferringTrustManager extends X509ExtendedTrustManager {
    private final X509Certificate[] issuers;

    /** @param issuers the CA names sent in the CertificateRequest (RFC 8446 section 4.2.4), to pick a client certificate */
    public DeferringTrustManager(List<X509Certificate> issuers) {
        this.issuers = issuers.toArray(X509Certificate[]::new);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // decided by the application for each request
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // decided by the application for each request
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // decided by the application for each request
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("server mode only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("server mode only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("server mode only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return issuers.clone();
    }
}
