package io.upki.pki.clientcert;

import io.upki.pki.trust.RefusedException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Caddy with {@code header_up X-Client-Cert {http.request.tls.client.certificate_der_base64}}: the
 * leaf's DER in base64. Without a certificate Caddy before 2.11.2 sends the placeholder text itself,
 * later versions an empty value: both mean no certificate.
 */
public final class CaddySource extends HeaderSource {
    /** The original request, as Caddy's forward_auth names it. */
    public static final OriginalRequest REQUEST = new OriginalRequest("X-Forwarded-Method", "X-Forwarded-Uri");
    public static final String HEADER = "X-Client-Cert";
    static final String UNRESOLVED = "{http.request.tls.client.certificate_der_base64}";

    public CaddySource(CertificateDecoding decoding) {
        super("caddy", HEADER, REQUEST, decoding);
    }

    @Override
    boolean meansAbsent(String value) {
        return value.equals(UNRESOLVED);
    }

    @Override
    List<X509Certificate> decode(String value) throws RefusedException {
        return List.of(CertificateDecoding.certificate(CertificateDecoding.base64(value)));
    }
}
