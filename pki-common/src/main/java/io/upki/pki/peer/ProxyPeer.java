package io.upki.pki.peer;

import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Purpose;
import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.VerifiedPath;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decides whether the TLS peer of a request is upki's proxy: its certificate (the handshake proved the
 * key) must chain to the CA, carry clientAuth and upki's proxy role, and not be revoked. The
 * auth-sidecar's decision endpoints and ra-core's edge listener serve only this peer, so that reaching
 * their port no longer lets anyone have an administrator's public certificate vouched for (issue #16 M1).
 */
public final class ProxyPeer {
    /** The reason code of every refusal, with the certificate check's own reason in the message. */
    public static final String REASON = "proxy_certificate_required";
    /** Servlet attribute where Jetty puts the peer's certificate chain (Jakarta Servlet 6.0 section 3.9). */
    public static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final ChainVerifier chains;
    private final Supplier<RevocationIndex> crls;
    private final Clock clock;

    public ProxyPeer(ChainVerifier chains, Supplier<RevocationIndex> crls, Clock clock) {
        this.chains = chains;
        this.crls = crls;
        this.clock = clock;
    }

    /**
     * Whether a path is a liveness or readiness probe, which every process serves to any TLS peer: the
     * kubelet and health checkers hold no proxy certificate, and the answer reveals nothing.
     */
    public static boolean isProbe(String path) {
        return path.equals("/health") || path.equals("/ready");
    }

    /**
     * Checks the chain the TLS peer presented (leaf first), or null or empty when it sent none.
     *
     * @return null when the peer is the proxy, else the one-sentence reason it is not
     */
    public String refusal(Object presented) {
        if (!(presented instanceof X509Certificate[] certificates) || certificates.length == 0) {
            return "this port serves only upki's proxy: present a certificate of the proxy profile";
        }
        try {
            VerifiedPath path = chains.verify(List.of(certificates), Purpose.PROXY_CLIENT);
            // Fail closed: without a current CRL a revoked proxy key would go on being accepted.
            crls.get().check(path, clock.instant(), Duration.ZERO);
            return null;
        } catch (RefusedException e) {
            String why = e.refusal() == Refusal.WRONG_USAGE ? "the certificate is not of upki's proxy profile"
                    : e.refusal().message();
            return "this port serves only upki's proxy: " + why;
        }
    }
}
