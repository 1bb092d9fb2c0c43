package io.upki.pki.clientcert;

import io.upki.pki.trust.RefusedException;
import java.security.cert.X509Certificate;
import java.util.List;

/** How one proxy hands the client certificate to the forward-auth service. */
public interface ClientCertificateSource {

    /** {@code traefik}, {@code nginx} or {@code caddy}. */
    String name();

    /** The one header this proxy uses; every other certificate header is ignored. */
    String header();

    /**
     * The leaf first, then whatever else the client sent (path-building hints only).
     *
     * @throws RefusedException NO_CERTIFICATE when none arrived, or why the header was refused
     */
    List<X509Certificate> read(Headers headers) throws RefusedException;
}
