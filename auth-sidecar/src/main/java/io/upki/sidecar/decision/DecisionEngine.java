package io.upki.sidecar.decision;

import io.upki.pki.assertion.Identity;
import io.upki.pki.clientcert.ClientCertificateSource;
import io.upki.pki.clientcert.Headers;
import io.upki.pki.relying.TrustPipeline;
import io.upki.pki.relying.TrustedClient;
import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * Decides one forward-auth request: the route class of the original URI, then the proxy's certificate
 * header through the relying party's {@link TrustPipeline} (path, validity, revocation, role), then
 * whether the route admits that role.
 *
 * <p>Only the expensive step, the verified path, is remembered (keyed by the hash of the certificate
 * header exactly as the proxy sent it, so a warm request decodes nothing). Validity, revocation and the
 * administrator check run on every request against the current clock, CRLs and admin list, so a new
 * CRL takes effect on the very next request; the pipeline also drops remembered paths when one arrives.
 */
public final class DecisionEngine {
    private static final Decision PUBLIC = new Decision.Allowed(RouteClass.PUBLIC, null, false);

    private final TrustPipeline trust;
    private final RoutePolicy policy;

    public DecisionEngine(TrustPipeline trust, RoutePolicy policy) {
        this.trust = trust;
        this.policy = policy;
    }

    /**
     * @param uri the original request's path and query, from the proxy's header
     */
    public Decision decide(ClientCertificateSource source, Headers headers, String method, String uri) {
        RouteClass route = policy.classify(uri);
        if (route == null || method == null || method.isEmpty()) {
            return new Decision.Refused(Refusal.BAD_REQUEST, route, "original method or URI missing or unsafe: " + uri);
        }
        if (route == RouteClass.PUBLIC) {
            return PUBLIC;
        }
        try {
            // Warm path: the same header as before maps straight to its verified path, without decoding.
            String key = headerKey(source, headers);
            TrustedClient client = key == null ? null : trust.remembered(key);
            boolean seenBefore = client != null;
            List<X509Certificate> presented = client == null ? source.read(headers) : null;
            if (route == RouteClass.DENY) {
                throw new RefusedException(Refusal.NOT_ALLOWED, "no rule allows " + uri);
            }
            if (client == null) {
                client = trust.path(key, presented);
            }
            Identity identity = trust.admit(client);
            if (route == RouteClass.ADMIN && identity.role() != Role.ADMIN) {
                throw new RefusedException(Refusal.NOT_ADMIN, client.subject() + " is not an administrator");
            }
            return new Decision.Allowed(route, identity, seenBefore);
        } catch (RefusedException e) {
            return new Decision.Refused(e.refusal(), route, e.getMessage());
        }
    }

    /**
     * SHA-256 over the proxy profile and the exact header values: equal keys mean the same presented
     * certificates, so a remembered verified path can be reused without decoding. Null when no header came.
     */
    private static String headerKey(ClientCertificateSource source, Headers headers) {
        List<String> values = headers.all(source.header());
        if (values == null || values.isEmpty()) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.name().getBytes(StandardCharsets.US_ASCII));
            for (String v : values) {
                sha.update((byte) 0);
                sha.update(v.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
