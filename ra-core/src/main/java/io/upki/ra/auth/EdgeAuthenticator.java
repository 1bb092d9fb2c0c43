package io.upki.ra.auth;

import io.javalin.http.Context;
import io.upki.pki.assertion.AssertionVerifier;
import io.upki.pki.assertion.SignerCertificates;
import io.upki.pki.trust.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edge mode: the request counts as authenticated only with a sidecar assertion that verifies against
 * ca.crt, comes from an assertion-signer identity the current CRL does not revoke, has not expired and
 * names this method and URI (for an unsafe method: once, within seconds; see AssertionVerifier). The
 * signer's certificate is looked up at the CA the first time a signer is seen (pki-common CaSignerCertificates):
 * when the CA cannot be asked then, the answer is 503 {@code signer_unavailable}, not an acceptance.
 * Identity headers alone prove nothing: anyone reaching the RA directly could send them.
 */
public final class EdgeAuthenticator implements Authenticator {
    public static final String HEADER = "X-Upki-Assertion";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeAuthenticator.class);

    private final AssertionVerifier verifier;

    public EdgeAuthenticator(AssertionVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Caller authenticate(Context ctx) throws AuthenticationException {
        String token = ctx.header(HEADER);
        if (token == null || token.isBlank()) {
            // Without an assertion the proxy never vouched for a client certificate: the same 403 and
            // reason a client without a certificate gets from the sidecar through the proxy.
            throw new AuthenticationException(Refusal.NO_CERTIFICATE.status(), Refusal.NO_CERTIFICATE.code(),
                    Refusal.NO_CERTIFICATE.message() + " (no sidecar assertion: requests must come through the proxy)");
        }
        String query = ctx.queryString();
        String uri = ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
        try {
            return Caller.of(verifier.verify(token, ctx.method().name(), uri));
        } catch (SignerCertificates.SignerUnavailableException e) {
            // Fail closed, but say so: the signer may be fine, the RA could not look it up (issue #20).
            LOG.warn("assertion not checked for {} {}: {}", ctx.method(), uri, e.getMessage());
            throw new AuthenticationException(503, "signer_unavailable",
                    "cannot check the sidecar's signing certificate: the CA is unavailable, retry later");
        } catch (AssertionVerifier.InvalidAssertionException e) {
            LOG.info("assertion refused for {} {}: {}", ctx.method(), uri, e.getMessage());
            throw new AuthenticationException(403, "invalid_assertion", "invalid sidecar assertion");
        }
    }
}
