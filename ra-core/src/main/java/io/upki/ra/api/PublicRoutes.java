package io.upki.ra.api;

import io.javalin.http.Context;
import io.upki.pki.caclient.CertificateAuthorityClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The routes anyone may call: health, the CA certificate, the CRL, profiles and the API description. */
final class PublicRoutes {
    private final CaGateway ca;
    private final byte[] openApi;

    PublicRoutes(CaGateway ca, byte[] openApi) {
        this.ca = ca;
        this.openApi = openApi.clone();
    }

    void health(Context ctx) {
        ctx.json(Map.of("status", "ok"));
    }

    void caCertificate(Context ctx) throws ApiException {
        ctx.contentType("application/x-pem-file").result(ca.call(CertificateAuthorityClient::caCertificate));
    }

    /** The current CRL: DER when asked for {@code application/pkix-crl} (RFC 5280 section 5), else PEM. */
    void crl(Context ctx) throws ApiException {
        byte[] der = ca.call(CertificateAuthorityClient::currentCrl).der();
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/pkix-crl")) {
            ctx.contentType("application/pkix-crl").result(der);
            return;
        }
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        ctx.contentType("application/x-pem-file").result("-----BEGIN X509 CRL-----\n" + b64 + "\n-----END X509 CRL-----\n");
    }

    void profileNames(Context ctx) throws ApiException {
        ctx.json(ca.call(CertificateAuthorityClient::profileNames));
    }

    void profile(Context ctx) throws ApiException {
        String name = ctx.pathParam("name");
        ctx.json(ca.call(c -> c.profile(name)));
    }

    void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApi);
    }
}
