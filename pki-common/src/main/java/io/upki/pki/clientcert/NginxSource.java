package io.upki.pki.clientcert;

import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * nginx with {@code proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert}: the leaf's full PEM,
 * percent-encoded. nginx sends the leaf only, so intermediates must be configured. An empty variable
 * makes nginx omit the header: no certificate.
 */
public final class NginxSource extends HeaderSource {
    /** The original request, as upki's nginx configuration for auth_request names it. */
    public static final OriginalRequest REQUEST = new OriginalRequest("X-Original-Method", "X-Original-URI");
    public static final String HEADER = "X-SSL-Client-Cert";
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    public NginxSource(CertificateDecoding decoding) {
        super("nginx", HEADER, REQUEST, decoding);
    }

    @Override
    List<X509Certificate> decode(String value) throws RefusedException {
        String pem = CertificateDecoding.percentDecode(value).strip();
        if (!pem.startsWith(BEGIN) || !pem.endsWith(END) || pem.indexOf(BEGIN, 1) >= 0) {
            throw new RefusedException(Refusal.MALFORMED_HEADER, "not exactly one PEM certificate");
        }
        String body = pem.substring(BEGIN.length(), pem.length() - END.length()).replaceAll("[\\r\\n]", "");
        return List.of(CertificateDecoding.certificate(CertificateDecoding.base64(body)));
    }
}
