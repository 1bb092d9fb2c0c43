package io.upki.pki.clientcert;

import io.upki.pki.trust.RefusedException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Traefik's passTLSClientCert ({@code pem: true}): {@code X-Forwarded-Tls-Client-Cert} holds each
 * certificate as standard base64 DER, comma-separated, leaf first. Traefik 2.0.0 to 2.9.1 also
 * URL-escaped each one ({@code %2B %2F %3D}); both forms are read. Absent or empty: no certificate.
 */
public final class TraefikSource extends HeaderSource {
    /** The original request, as Traefik's forwardAuth names it. */
    public static final OriginalRequest REQUEST = new OriginalRequest("X-Forwarded-Method", "X-Forwarded-Uri");
    public static final String HEADER = "X-Forwarded-Tls-Client-Cert";

    public TraefikSource(CertificateDecoding decoding) {
        super("traefik", HEADER, REQUEST, decoding);
    }

    @Override
    List<X509Certificate> decode(String value) throws RefusedException {
        String[] parts = value.split(",", -1);
        decoding.checkCount(parts.length);
        List<X509Certificate> certs = new ArrayList<>(parts.length);
        for (String part : parts) {
            String p = part.strip();
            // '%' never occurs in base64: its presence means the legacy escaped form.
            String base64 = p.indexOf('%') >= 0 ? CertificateDecoding.percentDecode(p) : p;
            certs.add(CertificateDecoding.certificate(CertificateDecoding.base64(base64)));
        }
        return certs;
    }
}
