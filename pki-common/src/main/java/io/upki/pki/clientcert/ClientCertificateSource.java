package io.upki.pki.clientcert;

import io.upki.pki.trust.RefusedException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * How one proxy talks to a forward-auth service (FORWARD-AUTH.md section 1): the header carrying the
 * client certificate and the headers naming the original request's method and URI.
 */
public interface ClientCertificateSource {

    /** Every proxy profile by its {@link #name()}, decoding with {@code decoding}. */
    static Map<String, ClientCertificateSource> all(CertificateDecoding decoding) {
        return Map.of("traefik", new TraefikSource(decoding), "nginx", new NginxSource(decoding),
                "caddy", new CaddySource(decoding));
    }

    /** {@code traefik}, {@code nginx} or {@code caddy}. */
    String name();

    /** The one header this proxy uses; every other certificate header is ignored. */
    String header();

    /** The headers naming the original request's method and URI. */
    OriginalRequest original();

    /**
     * The leaf first, then whatever else the client sent (path-building hints only).
     *
     * @throws RefusedException NO_CERTIFICATE when none arrived, or why the header was refused
     */
    List<X509Certificate> read(Headers headers) throws RefusedException;
}
