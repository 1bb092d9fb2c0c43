package io.upki.ra.auth;

import io.javalin.http.Context;
import io.upki.pki.relying.TrustPipeline;
import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct mode: the RA terminates TLS itself. The handshake proves the client holds the certificate's
 * key; trust is decided here by the same pipeline as the sidecar's (pki-common {@link TrustPipeline}:
 * path, validity, revocation, role).
 */
public final class DirectAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DirectAuthenticator.class);
    private static final String CERTS = "jakarta.servlet.request.X509Certificate";

    private final TrustPipeline trust;

    public DirectAuthenticator(TrustPipeline trust) {
        this.trust = trust;
    }

    @Override
    public Caller authenticate(Context ctx) throws AuthenticationException {
        Object attribute = ctx.req().getAttribute(CERTS);
        if (!(attribute instanceof X509Certificate[] presented) || presented.length == 0) {
            throw new AuthenticationException(Refusal.NO_CERTIFICATE.status(), Refusal.NO_CERTIFICATE.code(),
                    Refusal.NO_CERTIFICATE.message());
        }
        try {
            return Caller.of(trust.verify(List.of(presented)));
        } catch (RefusedException e) {
            LOG.info("client certificate refused: {} ({})", e.refusal().code(), e.getMessage());
            throw new AuthenticationException(e.refusal().status(), e.refusal().code(),
                    "client certificate refused: " + e.refusal().message());
        }
    }
}
